package dev.orgprovisioner.command;

/**
 * Subscription plans and the limits each grants (daily/monthly/concurrent runs, seats, providers).
 */
public enum SubscriptionPlan {
  STARTER(6, 180, 20, 2, 3),
  PROFESSIONAL(25, 750, 20, 6, 6),
  SCALE(100, 3000, 20, 11, 10);

  private final int dailyLimit;
  private final int monthlyLimit;
  private final int concurrentLimit;
  private final int seatLimit;
  private final int providersLimit;

  SubscriptionPlan(int daily, int monthly, int concurrent, int seats, int providers) {
    this.dailyLimit = daily;
    this.monthlyLimit = monthly;
    this.concurrentLimit = concurrent;
    this.seatLimit = seats;
    this.providersLimit = providers;
  }

  public int dailyLimit() {
    return dailyLimit;
  }

  public int monthlyLimit() {
    return monthlyLimit;
  }

  public int concurrentLimit() {
    return concurrentLimit;
  }

  public int seatLimit() {
    return seatLimit;
  }

  public int providersLimit() {
    return providersLimit;
  }
}
