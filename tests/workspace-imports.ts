/**
 * Finds reach-ins: imports that cross a workspace boundary other than through the target's
 * declared `exports` (STYLE.md: "imports from outside a package go through `exports` only"; "apps
 * import packages, never each other"). Pure: it sees file texts and package manifests, no disk.
 */
import { posix } from "node:path";
import ts from "typescript";

/** One npm workspace, or the root (dir `""`), which holds bench, e2e, fuzz, faults, tests and scripts. */
export interface Workspace {
  dir: string;
  name: string;
  kind: "app" | "package" | "root";
  /** The keys of its `exports` (`"."`, `"./testing"`); empty when it declares none. */
  exports: readonly string[];
}

export interface SourceFile {
  /** Repository-relative, with `/`. */
  path: string;
  text: string;
}

export interface ReachIn {
  file: string;
  specifier: string;
  reason: string;
}

/** Every module specifier a file imports or re-exports, statically or with `import()`/`require()`. */
export function moduleSpecifiers(file: SourceFile): string[] {
  const kind = file.path.endsWith(".tsx") ? ts.ScriptKind.TSX : file.path.endsWith(".ts") ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, false, kind);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && isImportOrRequire(node.expression) && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      found.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function isImportOrRequire(callee: ts.Expression): boolean {
  return callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require");
}

function workspaceOf(path: string, workspaces: readonly Workspace[]): Workspace | undefined {
  let best: Workspace | undefined;
  for (const workspace of workspaces) {
    const inside = workspace.dir === "" || path === workspace.dir || path.startsWith(`${workspace.dir}/`);
    if (inside && (!best || workspace.dir.length > best.dir.length)) best = workspace;
  }
  return best;
}

const SCOPE = "@sync-beats/";

function checkSpecifier(file: SourceFile, from: Workspace, specifier: string, workspaces: readonly Workspace[]): string | null {
  let target: Workspace | undefined;
  if (specifier.startsWith("./") || specifier.startsWith("../")) {
    const resolved = posix.normalize(posix.join(posix.dirname(file.path), specifier));
    if (resolved.startsWith("../")) return "a relative import out of the repository";
    target = workspaceOf(resolved, workspaces);
    if (target !== from) return `a relative import into ${target?.name ?? "another workspace"}; import it by its package name`;
  } else if (specifier.startsWith(SCOPE)) {
    const [scope, name, ...rest] = specifier.split("/");
    target = workspaces.find((workspace) => workspace.name === `${scope}/${name}`);
    if (!target) return "no workspace has this name";
    const subpath = rest.length === 0 ? "." : `./${rest.join("/")}`;
    if (!target.exports.includes(subpath)) return `${target.name} does not export "${subpath}"`;
  }
  if (target && target !== from && target.kind === "app" && from.kind !== "root") return `${from.kind}s never import an app`;
  return null;
}

/** Each import in `files` that leaves its workspace other than through the target's `exports`. */
export function findReachIns(files: readonly SourceFile[], workspaces: readonly Workspace[]): ReachIn[] {
  const found: ReachIn[] = [];
  for (const file of files) {
    const from = workspaceOf(file.path, workspaces);
    if (!from) throw new Error(`${file.path} is in no workspace (is the root missing?)`);
    for (const specifier of moduleSpecifiers(file)) {
      const reason = checkSpecifier(file, from, specifier, workspaces);
      if (reason) found.push({ file: file.path, specifier, reason });
    }
  }
  return found;
}
