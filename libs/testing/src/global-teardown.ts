export default async function globalTeardown(): Promise<void> {
  await Promise.all((globalThis.__AMCJOOR_CONTAINERS__ ?? []).map((container) => container.stop()));
}
