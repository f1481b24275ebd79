import { parseNonEmpty, parseUrl } from '@app/common';
import { sleep } from '@app/util';
import { DEMO_CONNECTION_NAME, demoConnectionBody } from './demo-connection';
import { loadStartOptions } from './start-options';

/**
 * The Kubernetes demo's one-shot job (k8s/overlays/demo): waits for the gateway, creates the demo
 * connection pointing at the in-cluster sandboxes unless one of that name exists, and tests it.
 * Safe to run again. Reads GATEWAY_URL, GATEWAY_API_KEY, DEMO_AMC_URL, DEMO_JOOR_URL and the
 * DEMO_* seed settings `npm start` reads.
 */
const WAIT_FOR_GATEWAY_MS = 300_000;

function setting(name: string, parse: (raw: string) => string): string {
  try {
    return parse(process.env[name] ?? '');
  } catch (err) {
    throw new Error(`${name} ${(err as Error).message}`, { cause: err });
  }
}

async function main(): Promise<void> {
  const gateway = setting('GATEWAY_URL', parseUrl(['http', 'https'])).replace(/\/$/, '');
  const apiKey = setting('GATEWAY_API_KEY', parseNonEmpty(16));
  const options = loadStartOptions(process.env).demo;
  options.amcUrl = setting('DEMO_AMC_URL', parseUrl(['http', 'https'])).replace(/\/$/, '');
  options.joorUrl = setting('DEMO_JOOR_URL', parseUrl(['http', 'https'])).replace(/\/$/, '');

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${gateway}${path}`, {
      method,
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };

  const deadline = Date.now() + WAIT_FOR_GATEWAY_MS;
  while (
    !(await fetch(`${gateway}/health/ready`).then(
      (res) => res.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) throw new Error(`the gateway at ${gateway} was not ready within ${WAIT_FOR_GATEWAY_MS / 1000} s`);
    await sleep(2_000);
  }
  const list = await api('GET', '/connections');
  if (list.status !== 200) throw new Error(`could not list connections: ${list.status} ${JSON.stringify(list.json)}`);
  let id = (list.json as Array<{ id: string; name: string }>).find((c) => c.name === DEMO_CONNECTION_NAME)?.id;
  if (id) console.log(`the demo connection exists: ${id}`);
  else {
    const created = await api('POST', '/connections', demoConnectionBody(options));
    if (created.status !== 201) throw new Error(`could not create the demo connection: ${created.status} ${JSON.stringify(created.json)}`);
    id = created.json.id as string;
    console.log(`created the demo connection ${id}`);
  }
  const test = await api('POST', `/connections/${id}/test`);
  if (!test.json?.ok) throw new Error(`the demo connection's test failed: ${JSON.stringify(test.json)}`);
  console.log(`connection test ok; try: GET ${gateway}/connections/${id}/runs`);
}

main().catch((err: Error) => {
  console.error(`create-demo-connection failed: ${err.message}`);
  process.exit(1);
});
