/**
 * Finds the free identifiers of a function's source text: the names it reads
 * that it does not declare itself. Declarations are collected per function
 * body as a whole (block scoping is not modelled), so a name declared in any
 * block of the function counts as declared everywhere in it.
 */
import type { parse as acornParse } from 'acorn';
import { requireFrom } from './require-from.js';

type Parse = typeof acornParse;
let parse: Parse | undefined;

/** acorn, loaded on first use: only the caller's side of a function task needs it. */
function parser(): Parse {
  parse ??= (requireFrom(import.meta.url)('acorn') as { parse: Parse }).parse;
  return parse;
}

interface Node {
  type: string;
  [key: string]: unknown;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';
}

function declarePattern(pattern: unknown, declared: Set<string>): void {
  if (!isNode(pattern)) return;
  switch (pattern.type) {
    case 'Identifier':
      declared.add(pattern.name as string);
      break;
    case 'ObjectPattern':
      for (const prop of pattern.properties as Node[]) {
        declarePattern(prop.type === 'RestElement' ? prop.argument : prop.value, declared);
      }
      break;
    case 'ArrayPattern':
      for (const el of pattern.elements as unknown[]) declarePattern(el, declared);
      break;
    case 'RestElement':
      declarePattern(pattern.argument, declared);
      break;
    case 'AssignmentPattern':
      declarePattern(pattern.left, declared);
      break;
    default:
      break;
  }
}

function collectDeclarations(node: unknown, declared: Set<string>): void {
  if (Array.isArray(node)) {
    for (const child of node) collectDeclarations(child, declared);
    return;
  }
  if (!isNode(node)) return;
  switch (node.type) {
    case 'VariableDeclarator':
      declarePattern(node.id, declared);
      break;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      if (isNode(node.id)) declared.add(node.id.name as string);
      for (const param of node.params as unknown[]) declarePattern(param, declared);
      break;
    case 'ClassDeclaration':
    case 'ClassExpression':
      if (isNode(node.id)) declared.add(node.id.name as string);
      break;
    case 'CatchClause':
      declarePattern(node.param, declared);
      break;
    default:
      break;
  }
  for (const key of Object.keys(node)) {
    if (key !== 'type') collectDeclarations(node[key], declared);
  }
}

function collectReferences(node: unknown, parent: Node | undefined, key: string, out: Set<string>): void {
  if (Array.isArray(node)) {
    for (const child of node) collectReferences(child, parent, key, out);
    return;
  }
  if (!isNode(node)) return;
  if (node.type === 'Identifier') {
    const p = parent;
    const skip =
      p !== undefined &&
      (((p.type === 'MemberExpression' || p.type === 'PropertyDefinition' || p.type === 'MethodDefinition') &&
        key === (p.type === 'MemberExpression' ? 'property' : 'key') &&
        p.computed !== true) ||
        (p.type === 'Property' && key === 'key' && p.computed !== true && p.shorthand !== true) ||
        ((p.type === 'LabeledStatement' || p.type === 'BreakStatement' || p.type === 'ContinueStatement') &&
          key === 'label') ||
        p.type === 'MetaProperty');
    if (!skip) out.add(node.name as string);
    return;
  }
  for (const childKey of Object.keys(node)) {
    if (childKey !== 'type') collectReferences(node[childKey], node, childKey, out);
  }
}

/**
 * Returns the identifiers `source` (a function expression) reads without
 * declaring them, in order of first appearance.
 *
 * @throws {SyntaxError} when `source` does not parse as an expression.
 */
export function freeVariables(source: string): string[] {
  const program = parser()(`(${source})`, {
    ecmaVersion: 'latest',
    sourceType: 'script',
    allowAwaitOutsideFunction: false,
  }) as unknown as Node;
  const declared = new Set<string>();
  collectDeclarations(program, declared);
  const refs = new Set<string>();
  collectReferences(program, undefined, '', refs);
  return [...refs].filter((name) => !declared.has(name));
}
