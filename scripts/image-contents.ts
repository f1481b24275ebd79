import { builtinModules } from 'node:module';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * What each image holds, from the build's own output: the entry files of the image (its main, the
 * health check, the scripts it runs) and every file of dist/ they require, followed through the
 * compiled `require` calls. The Dockerfile's build stage copies exactly this set, so the image
 * carries no other app, no sandbox in a service's image and no benchmark or test main.
 *
 *   node dist/scripts/image-contents.js                 prints every image's files and packages
 *   node dist/scripts/image-contents.js <app> <out>     copies <app>'s files to <out>/dist (Dockerfile)
 */

export const IMAGE_APPS = ['gateway', 'catalog-sync', 'media-sync', 'inventory-sync', 'customer-sync', 'order-ingest', 'amc-sandbox', 'joor-sandbox'] as const;
export type ImageApp = (typeof IMAGE_APPS)[number];

/** The entry files of an image, relative to dist/. */
export function imageEntries(app: ImageApp): string[] {
  const entries = [`apps/${app}/src/main.js`, 'scripts/healthcheck.js'];
  // Every service runs the migrations in its init container (k8s) or as compose's one-shot.
  if (!app.endsWith('-sandbox')) entries.push('scripts/migrate.js');
  // The demo's job creates the demo connection from the brand the sandboxes are seeded with.
  if (app === 'amc-sandbox') entries.push('scripts/create-demo-connection.js');
  return entries;
}

export interface ImageContents {
  app: ImageApp;
  /** Paths relative to dist/, sorted. */
  files: string[];
  /** npm packages the files require (never node's own modules), sorted. */
  packages: string[];
}

const REQUIRE = /\brequire\(\s*(['"])([^'"]+)\1\s*\)/g;
const BUILTINS = new Set(builtinModules);

export function imageContents(distDir: string, app: ImageApp): ImageContents {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = imageEntries(app).map((entry) => {
    const path = join(distDir, entry);
    if (!existsSync(path)) throw new Error(`${entry} is not in ${distDir}: run npm run build first`);
    return path;
  });
  while (pending.length > 0) {
    const file = pending.pop()!;
    const key = relative(distDir, file);
    if (files.has(key)) continue;
    files.add(key);
    if (!file.endsWith('.js')) continue;
    for (const [, , specifier] of readFileSync(file, 'utf8').matchAll(REQUIRE)) {
      if (specifier.startsWith('.')) pending.push(resolveFile(resolve(dirname(file), specifier), file));
      else if (!specifier.startsWith('node:') && !BUILTINS.has(specifier)) packages.add(packageName(specifier));
    }
  }
  return { app, files: [...files].sort(), packages: [...packages].sort() };
}

function resolveFile(base: string, from: string): string {
  for (const candidate of [base, `${base}.js`, `${base}.json`, join(base, 'index.js')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${from} requires ${base}, which the build did not produce`);
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Copies an image's files from `distDir` to `<outDir>/dist`, keeping their paths. */
export function copyImageFiles(distDir: string, app: ImageApp, outDir: string): ImageContents {
  const contents = imageContents(distDir, app);
  for (const file of contents.files) {
    const target = join(outDir, 'dist', file);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(distDir, file), target);
  }
  return contents;
}

function isImageApp(name: string | undefined): name is ImageApp {
  return (IMAGE_APPS as readonly string[]).includes(name ?? '');
}

if (require.main === module) {
  const distDir = resolve(__dirname, '..');
  const [app, outDir] = process.argv.slice(2);
  if (app !== undefined && !isImageApp(app)) {
    console.error(`usage: image-contents [<app> <out-dir>]; app is one of ${IMAGE_APPS.join(', ')}`);
    process.exit(2);
  }
  if (app && outDir) {
    const { files } = copyImageFiles(distDir, app, outDir);
    console.log(`${app}: ${files.length} files of dist/ copied to ${outDir}/dist`);
  } else {
    for (const name of app ? [app] : IMAGE_APPS) {
      const { files, packages } = imageContents(distDir, name);
      const tops = [...new Set(files.map((f) => f.split('/').slice(0, 2).join('/')))].sort();
      console.log(`${name}: ${files.length} files in ${tops.join(', ')}`);
      console.log(`  scripts: ${files.filter((f) => f.startsWith('scripts/')).join(', ')}`);
      console.log(`  packages: ${packages.join(', ')}`);
    }
  }
}
