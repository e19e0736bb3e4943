// Resolves the `@/` alias (tsconfig.app.json "paths") for eslint-plugin-import, then defers to the
// node resolver that plugin ships with. Replaces eslint-import-resolver-typescript, whose native
// binding packages are not all available from the registry mirror, which broke `npm ci`.
const path = require('node:path');
const nodeResolver = require('eslint-import-resolver-node');

const SRC = path.join(__dirname, 'src');
const EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.json'];

exports.interfaceVersion = 2;

exports.resolve = function resolve(source, file) {
  const target = source.startsWith('@/') ? path.join(SRC, source.slice(2)) : source;
  return nodeResolver.resolve(target, file, { extensions: EXTENSIONS });
};
