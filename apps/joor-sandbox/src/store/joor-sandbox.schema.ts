/** The sandbox's state, created idempotently at boot in its own schema. */
export const JOOR_SANDBOX_SCHEMA = 'joor_sandbox';

export const JOOR_SANDBOX_DDL = `
CREATE SCHEMA IF NOT EXISTS joor_sandbox;
CREATE TABLE IF NOT EXISTS joor_sandbox.meta (key text PRIMARY KEY, value jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS joor_sandbox.tokens (
  access_token text PRIMARY KEY,
  refresh_token text NOT NULL UNIQUE,
  account_id text NOT NULL,
  expires_at timestamptz NOT NULL,
  refresh_expires_at timestamptz NOT NULL,
  revoked boolean NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS joor_sandbox.credit_windows (
  account_id text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  used integer NOT NULL,
  granted boolean NOT NULL
);
CREATE TABLE IF NOT EXISTS joor_sandbox.price_types (id text PRIMARY KEY, name text NOT NULL, currency_code text NOT NULL, retail_currency_code text NOT NULL);
CREATE TABLE IF NOT EXISTS joor_sandbox.seasons (id text PRIMARY KEY, name text NOT NULL, code text NOT NULL);
CREATE TABLE IF NOT EXISTS joor_sandbox.warehouses (name text PRIMARY KEY);
CREATE TABLE IF NOT EXISTS joor_sandbox.products (
  id bigserial PRIMARY KEY,
  external_id text UNIQUE,
  name text NOT NULL,
  product_identifier text NOT NULL,
  description text NOT NULL DEFAULT '',
  order_minimum integer,
  category_ids jsonb NOT NULL DEFAULT '[]',
  product_trait_values jsonb NOT NULL DEFAULT '[]',
  tags jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS joor_sandbox.skus (
  id bigserial PRIMARY KEY,
  product_id bigint NOT NULL REFERENCES joor_sandbox.products(id) ON DELETE CASCADE,
  external_id text UNIQUE,
  sku_identifier text NOT NULL DEFAULT '',
  color_value text NOT NULL,
  color_external_id text NOT NULL DEFAULT '',
  size_value text NOT NULL,
  trait_values jsonb NOT NULL,
  identifiers jsonb NOT NULL DEFAULT '[]',
  upc text,
  status text NOT NULL DEFAULT 'ACTIVE',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (product_id, color_value, size_value)
);
CREATE INDEX IF NOT EXISTS skus_upc ON joor_sandbox.skus (upc);
CREATE TABLE IF NOT EXISTS joor_sandbox.prices (
  id bigserial PRIMARY KEY,
  sku_id bigint NOT NULL REFERENCES joor_sandbox.skus(id) ON DELETE CASCADE,
  price_type_id text NOT NULL,
  wholesale_value numeric(14,2) NOT NULL,
  retail_value numeric(14,2),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (sku_id, price_type_id)
);
CREATE TABLE IF NOT EXISTS joor_sandbox.collections (
  id bigserial PRIMARY KEY,
  external_id text UNIQUE,
  name text NOT NULL,
  season_id text,
  delivery jsonb,
  items jsonb NOT NULL DEFAULT '[]',
  created_by_api boolean NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS joor_sandbox.assets (
  id bigserial PRIMARY KEY,
  external_id text UNIQUE,
  product_id bigint NOT NULL REFERENCES joor_sandbox.products(id) ON DELETE CASCADE,
  level text NOT NULL,
  color_external_id text,
  type text NOT NULL,
  filename text NOT NULL,
  source_url text NOT NULL,
  content_type text,
  bytes integer,
  display_order integer,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS assets_product ON joor_sandbox.assets (product_id);
CREATE TABLE IF NOT EXISTS joor_sandbox.inventory (
  warehouse text NOT NULL,
  sku_id bigint NOT NULL REFERENCES joor_sandbox.skus(id) ON DELETE CASCADE,
  inventory_date text NOT NULL,
  quantity integer NOT NULL,
  made_to_order boolean NOT NULL DEFAULT false,
  dec_pending boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (warehouse, sku_id, inventory_date)
);
CREATE TABLE IF NOT EXISTS joor_sandbox.connections (
  customer_code text PRIMARY KEY,
  customer_name text NOT NULL,
  data jsonb NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS joor_sandbox.orders (
  order_id text PRIMARY KEY,
  status text NOT NULL,
  data jsonb NOT NULL,
  date_modified timestamptz NOT NULL,
  export_status text,
  export_description text,
  exported_on timestamptz,
  sync_requested_at timestamptz
);
CREATE INDEX IF NOT EXISTS orders_modified ON joor_sandbox.orders (date_modified, order_id);
`;

/** Tables emptied by a re-seed (tokens and the credit windows survive it). */
export const SEEDED_TABLES = ['assets', 'inventory', 'prices', 'skus', 'collections', 'products', 'connections', 'orders', 'price_types', 'seasons', 'warehouses'];
