-- One row of notification statistics for the organisation, computed at query time (a plain view,
-- so never stale). Each derived table is an aggregate without GROUP BY, so it always yields exactly
-- one row, even when the organisation has no channels, rules, summaries or notifications.
-- Values are compared case-insensitively: channel_type email | slack | webhook; rule priority
-- critical | high | medium | low; rule_category cost | pipeline | integration, anything else counts
-- as other; summary_type matched on daily / weekly / monthly anywhere in the value.
-- org_notification_history is append-only (later outcomes of a notification are new rows), so the
-- latest row per notification_id is its current state, and a notification belongs to the last 24 h
-- when its first row was written then. Status SENT or DELIVERED counts as delivered, FAILED as
-- failed; anything else (e.g. PENDING) is still in flight.
SELECT
  {{org_slug}} AS org_slug,
  ch.channels_total AS channels_total,
  ch.channels_active AS channels_active,
  ch.channels_email AS channels_email,
  ch.channels_slack AS channels_slack,
  ch.channels_webhook AS channels_webhook,
  ru.rules_total AS rules_total,
  ru.rules_active AS rules_active,
  ru.rules_priority_critical AS rules_priority_critical,
  ru.rules_priority_high AS rules_priority_high,
  ru.rules_priority_medium AS rules_priority_medium,
  ru.rules_priority_low AS rules_priority_low,
  ru.rules_category_cost AS rules_category_cost,
  ru.rules_category_pipeline AS rules_category_pipeline,
  ru.rules_category_integration AS rules_category_integration,
  ru.rules_category_other AS rules_category_other,
  su.summaries_total AS summaries_total,
  su.summaries_active AS summaries_active,
  su.summaries_daily AS summaries_daily,
  su.summaries_weekly AS summaries_weekly,
  su.summaries_monthly AS summaries_monthly,
  nh.notifications_24h AS notifications_24h,
  nh.delivered_24h AS delivered_24h,
  nh.failed_24h AS failed_24h,
  nh.pending_ack_24h AS pending_ack_24h,
  nh.escalated_24h AS escalated_24h,
  CASE
    WHEN nh.notifications_24h = 0 THEN NULL
    ELSE ROUND(nh.delivered_24h * 100.0 / nh.notifications_24h, 2)
  END AS delivery_rate_pct_24h,
  CURRENT_TIMESTAMP AS computed_at
FROM (
  SELECT
    COUNT(*) AS channels_total,
    COUNT(CASE WHEN c.is_active = TRUE THEN 1 END) AS channels_active,
    COUNT(CASE WHEN LOWER(c.channel_type) = 'email' THEN 1 END) AS channels_email,
    COUNT(CASE WHEN LOWER(c.channel_type) = 'slack' THEN 1 END) AS channels_slack,
    COUNT(CASE WHEN LOWER(c.channel_type) = 'webhook' THEN 1 END) AS channels_webhook
  FROM {{ref:central.org_notification_channels}} AS c
  WHERE c.org_slug = {{org_slug}}
) AS ch
CROSS JOIN (
  SELECT
    COUNT(*) AS rules_total,
    COUNT(CASE WHEN r.is_active = TRUE THEN 1 END) AS rules_active,
    COUNT(CASE WHEN LOWER(r.priority) = 'critical' THEN 1 END) AS rules_priority_critical,
    COUNT(CASE WHEN LOWER(r.priority) = 'high' THEN 1 END) AS rules_priority_high,
    COUNT(CASE WHEN LOWER(r.priority) = 'medium' THEN 1 END) AS rules_priority_medium,
    COUNT(CASE WHEN LOWER(r.priority) = 'low' THEN 1 END) AS rules_priority_low,
    COUNT(CASE WHEN LOWER(r.rule_category) = 'cost' THEN 1 END) AS rules_category_cost,
    COUNT(CASE WHEN LOWER(r.rule_category) = 'pipeline' THEN 1 END) AS rules_category_pipeline,
    COUNT(CASE WHEN LOWER(r.rule_category) = 'integration' THEN 1 END) AS rules_category_integration,
    COUNT(CASE WHEN LOWER(r.rule_category) NOT IN ('cost', 'pipeline', 'integration') OR r.rule_category IS NULL THEN 1 END) AS rules_category_other
  FROM {{ref:central.org_notification_rules}} AS r
  WHERE r.org_slug = {{org_slug}}
) AS ru
CROSS JOIN (
  SELECT
    COUNT(*) AS summaries_total,
    COUNT(CASE WHEN s.is_active = TRUE THEN 1 END) AS summaries_active,
    COUNT(CASE WHEN LOWER(s.summary_type) LIKE '%daily%' THEN 1 END) AS summaries_daily,
    COUNT(CASE WHEN LOWER(s.summary_type) LIKE '%weekly%' THEN 1 END) AS summaries_weekly,
    COUNT(CASE WHEN LOWER(s.summary_type) LIKE '%monthly%' THEN 1 END) AS summaries_monthly
  FROM {{ref:central.org_notification_summaries}} AS s
  WHERE s.org_slug = {{org_slug}}
) AS su
CROSS JOIN (
  SELECT
    COUNT(*) AS notifications_24h,
    COUNT(CASE WHEN LOWER(n.status) IN ('sent', 'delivered') THEN 1 END) AS delivered_24h,
    COUNT(CASE WHEN LOWER(n.status) = 'failed' THEN 1 END) AS failed_24h,
    COUNT(CASE WHEN LOWER(n.status) IN ('sent', 'delivered') AND n.acknowledged_at IS NULL THEN 1 END) AS pending_ack_24h,
    COUNT(CASE WHEN n.escalated = TRUE THEN 1 END) AS escalated_24h
  FROM (
    SELECT
      h.status AS status,
      h.acknowledged_at AS acknowledged_at,
      h.escalated AS escalated,
      MIN(h.created_at) OVER (PARTITION BY h.notification_id) AS first_created_at,
      ROW_NUMBER() OVER (PARTITION BY h.notification_id ORDER BY h.created_at DESC) AS row_rank
    FROM {{ref:central.org_notification_history}} AS h
    WHERE h.org_slug = {{org_slug}}
  ) AS n
  WHERE n.row_rank = 1
    AND n.first_created_at >= CURRENT_TIMESTAMP - INTERVAL 24 HOUR
) AS nh
