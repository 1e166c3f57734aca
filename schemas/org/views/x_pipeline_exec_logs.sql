-- The organisation's pipeline runs LEFT JOIN their step logs: one row per step, and one row with
-- NULL step columns for a run that has no step yet. Run columns are prefixed pipeline_, step columns step_.
SELECT
  r.org_slug AS org_slug,
  r.pipeline_logging_id AS pipeline_logging_id,
  r.pipeline_id AS pipeline_id,
  r.status AS pipeline_status,
  r.trigger_type AS pipeline_trigger_type,
  r.trigger_by AS pipeline_trigger_by,
  r.user_id AS pipeline_user_id,
  r.org_api_key_id AS pipeline_org_api_key_id,
  r.start_time AS pipeline_start_time,
  r.end_time AS pipeline_end_time,
  r.duration_ms AS pipeline_duration_ms,
  r.run_date AS pipeline_run_date,
  r.parameters AS pipeline_parameters,
  r.run_metadata AS pipeline_run_metadata,
  r.error_message AS pipeline_error_message,
  r.error_context AS pipeline_error_context,
  r.created_at AS pipeline_created_at,
  s.step_logging_id AS step_logging_id,
  s.step_name AS step_name,
  s.step_type AS step_type,
  s.step_index AS step_index,
  s.status AS step_status,
  s.start_time AS step_start_time,
  s.end_time AS step_end_time,
  s.duration_ms AS step_duration_ms,
  s.rows_processed AS step_rows_processed,
  s.error_message AS step_error_message,
  s.error_context AS step_error_context,
  s.user_id AS step_user_id,
  s.metadata AS step_metadata,
  s.created_at AS step_created_at
FROM {{ref:central.org_meta_pipeline_runs}} AS r
LEFT JOIN {{ref:central.org_meta_step_logs}} AS s
  ON s.pipeline_logging_id = r.pipeline_logging_id
  AND s.org_slug = {{org_slug}}
WHERE r.org_slug = {{org_slug}}
