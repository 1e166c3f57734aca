-- The organisation's current hierarchy: rows of central org_hierarchy not yet ended (end_date IS NULL).
SELECT
  h.id AS id,
  h.org_slug AS org_slug,
  h.entity_id AS entity_id,
  h.entity_name AS entity_name,
  h.level AS level,
  h.level_code AS level_code,
  h.parent_id AS parent_id,
  h.path AS path,
  h.path_ids AS path_ids,
  h.path_names AS path_names,
  h.depth AS depth,
  h.owner_id AS owner_id,
  h.owner_name AS owner_name,
  h.owner_email AS owner_email,
  h.description AS description,
  h.metadata AS metadata,
  h.sort_order AS sort_order,
  h.is_active AS is_active,
  h.version AS version,
  h.end_date AS end_date,
  h.created_at AS created_at,
  h.created_by AS created_by,
  h.updated_at AS updated_at,
  h.updated_by AS updated_by
FROM {{ref:central.org_hierarchy}} AS h
WHERE h.org_slug = {{org_slug}}
  AND h.end_date IS NULL
