export const AMC_SCHEMA = 'amc_sandbox';

/**
 * One table holds every resource as the JSON AMC answers with, plus the columns paging and
 * filtering need. Expression indexes cover the filters the sync uses (product, warehouse,
 * JOOR order id); other fields still filter, by scan.
 */
export const AMC_SCHEMA_DDL = [
  `CREATE SCHEMA IF NOT EXISTS ${AMC_SCHEMA}`,
  `CREATE TABLE IF NOT EXISTS ${AMC_SCHEMA}.records (
     resource text NOT NULL,
     sort_key text NOT NULL,
     id text NOT NULL,
     last_modified timestamptz NOT NULL,
     data jsonb NOT NULL,
     PRIMARY KEY (resource, sort_key)
   )`,
  `CREATE INDEX IF NOT EXISTS records_modified_idx ON ${AMC_SCHEMA}.records (resource, last_modified, sort_key)`,
  `CREATE INDEX IF NOT EXISTS records_product_idx ON ${AMC_SCHEMA}.records (resource, (data->>'product_id'))`,
  `CREATE INDEX IF NOT EXISTS records_warehouse_idx ON ${AMC_SCHEMA}.records (resource, (data->>'warehouse_id'), sort_key)`,
  `CREATE INDEX IF NOT EXISTS records_sku_idx ON ${AMC_SCHEMA}.records (resource, (data->>'sku_id'))`,
  `CREATE INDEX IF NOT EXISTS records_joor_idx ON ${AMC_SCHEMA}.records (resource, (data->>'joor_id'))`,
  `CREATE TABLE IF NOT EXISTS ${AMC_SCHEMA}.settings (
     key text PRIMARY KEY,
     value jsonb NOT NULL
   )`,
  `CREATE SEQUENCE IF NOT EXISTS ${AMC_SCHEMA}.order_id_seq START 10001`,
  `CREATE SEQUENCE IF NOT EXISTS ${AMC_SCHEMA}.order_item_id_seq START 50001`,
];
