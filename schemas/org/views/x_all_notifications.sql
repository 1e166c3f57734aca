-- The organisation's notifications, one row per notification_id, with the channel it went through
-- and the rule or summary that produced it. org_notification_history is append-only: a later
-- delivery, acknowledgement or escalation of a notification is a new row, so the row with the latest
-- created_at gives the current state (status_updated_at) and the earliest one gives created_at.
-- Encrypted channel secrets (webhook URLs, headers) are not exposed.
SELECT
  n.org_slug AS org_slug,
  n.notification_id AS notification_id,
  n.notification_type AS notification_type,
  CASE
    WHEN n.rule_id IS NOT NULL THEN 'rule'
    WHEN n.summary_id IS NOT NULL THEN 'summary'
    ELSE 'other'
  END AS notification_source,
  n.priority AS priority,
  n.subject AS subject,
  n.body_preview AS body_preview,
  n.status AS status,
  n.sent_at AS sent_at,
  n.delivered_at AS delivered_at,
  n.error_message AS error_message,
  n.retry_count AS retry_count,
  n.trigger_data AS trigger_data,
  n.recipients AS recipients,
  n.acknowledged_at AS acknowledged_at,
  n.acknowledged_by AS acknowledged_by,
  n.escalated AS escalated,
  n.escalated_at AS escalated_at,
  n.first_created_at AS created_at,
  n.created_at AS status_updated_at,
  n.channel_id AS channel_id,
  c.channel_type AS channel_type,
  c.name AS channel_name,
  c.is_active AS channel_is_active,
  c.is_default AS channel_is_default,
  n.rule_id AS rule_id,
  r.name AS rule_name,
  r.rule_category AS rule_category,
  r.rule_type AS rule_type,
  r.priority AS rule_priority,
  r.is_active AS rule_is_active,
  n.summary_id AS summary_id,
  s.name AS summary_name,
  s.summary_type AS summary_type,
  s.is_active AS summary_is_active
FROM (
  SELECT
    h.org_slug AS org_slug,
    h.notification_id AS notification_id,
    h.rule_id AS rule_id,
    h.summary_id AS summary_id,
    h.channel_id AS channel_id,
    h.notification_type AS notification_type,
    h.priority AS priority,
    h.subject AS subject,
    h.body_preview AS body_preview,
    h.status AS status,
    h.sent_at AS sent_at,
    h.delivered_at AS delivered_at,
    h.error_message AS error_message,
    h.retry_count AS retry_count,
    h.trigger_data AS trigger_data,
    h.recipients AS recipients,
    h.acknowledged_at AS acknowledged_at,
    h.acknowledged_by AS acknowledged_by,
    h.escalated AS escalated,
    h.escalated_at AS escalated_at,
    h.created_at AS created_at,
    MIN(h.created_at) OVER (PARTITION BY h.notification_id) AS first_created_at,
    ROW_NUMBER() OVER (PARTITION BY h.notification_id ORDER BY h.created_at DESC) AS row_rank
  FROM {{ref:central.org_notification_history}} AS h
  WHERE h.org_slug = {{org_slug}}
) AS n
LEFT JOIN {{ref:central.org_notification_channels}} AS c
  ON c.channel_id = n.channel_id
  AND c.org_slug = {{org_slug}}
LEFT JOIN {{ref:central.org_notification_rules}} AS r
  ON r.rule_id = n.rule_id
  AND r.org_slug = {{org_slug}}
LEFT JOIN {{ref:central.org_notification_summaries}} AS s
  ON s.summary_id = n.summary_id
  AND s.org_slug = {{org_slug}}
WHERE n.row_rank = 1
