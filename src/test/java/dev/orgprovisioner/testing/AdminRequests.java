package dev.orgprovisioner.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** REST calls to the admin API with the test profile's admin key. */
public final class AdminRequests {

  /** The key whose SHA-256 the test profile configures (admin.api-key-sha256). */
  public static final String TEST_ADMIN_KEY = "test-admin-key";

  private AdminRequests() {}

  /** {@code given()} with {@code X-Admin-Key: test-admin-key}. */
  public static RequestSpecification admin() {
    return RestAssured.given().header("X-Admin-Key", TEST_ADMIN_KEY);
  }
}
