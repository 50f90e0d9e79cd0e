/**
 * The loop condition language of workflow edges (`condition.expression`, seeds/vision-
 * architecture.md "Graphes avec boucles": `{"type": "while", "expression": "not
 * found_target_invoice", "max_iterations": 10}`). A tiny grammar, parsed here and evaluated by
 * the runner over facts of the current screen — never JavaScript, never eval:
 *
 *   expr  := or
 *   or    := and (("or" | "||") and)*
 *   and   := not (("and" | "&&") not)*
 *   not   := ("not" | "!") not | cmp
 *   cmp   := value (("==" | "!=" | "<" | "<=" | ">" | ">=") value)?
 *   value := number | "text" | 'text' | true | false | name | name "(" args ")" | "(" expr ")"
 *
 * Names: `iteration` (passes already made through this loop), `target_visible` (the edge's
 * target is on the screen), `found_<param>` (the value of parameter <param> is on the screen)
 * and the workflow's parameters (their values). Functions: `visible("text")` (the text is on
 * the screen), `count("text")` (how many lines of the screen show it). "{{param}}" inside a
 * text is replaced by the parameter's value.
 */
import { fillKnownParameters, parameterValue } from './parameter-references';

export type ConditionValue = boolean | number | string;

export type ConditionExpr =
  | { k: 'literal'; value: ConditionValue }
  | { k: 'name'; name: string; at: number }
  | { k: 'call'; fn: ConditionFunction; args: ConditionExpr[]; at: number }
  | { k: 'not'; e: ConditionExpr }
  | { k: 'and' | 'or'; a: ConditionExpr; b: ConditionExpr }
  | { k: 'cmp'; op: ComparisonOp; a: ConditionExpr; b: ConditionExpr; at: number };

export type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type ConditionFunction = 'visible' | 'count';

export const CONDITION_FUNCTIONS: Record<ConditionFunction, string> = {
  visible: 'visible("text"): the text is on the screen',
  count: 'count("text"): how many lines of the screen show the text',
};
export const CONDITION_FACTS: Record<string, string> = {
  iteration: 'passes already made through this loop (0 the first time)',
  target_visible: "the edge's target is on the screen",
};
const FOUND = /^found_(.+)$/;

/** A condition that cannot be parsed, or names something unknown; the message points at the place. */
export class ConditionSyntaxError extends Error {
  override name = 'ConditionSyntaxError';
  constructor(
    readonly expression: string,
    readonly position: number,
    problem: string,
  ) {
    super(
      `${problem} at character ${position + 1} of "${expression}"${position < expression.length ? ` (here: "${expression.slice(position, position + 12)}")` : ''}`,
    );
  }
}

type Token =
  | { t: 'num'; v: number; at: number }
  | { t: 'str'; v: string; at: number }
  | { t: 'id'; v: string; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'end'; at: number };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?|^[0-9]+\.?/.exec(src.slice(i))!;
      out.push({ t: 'num', v: Number(m[0]), at });
      i += m[0].length;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        text += src[j++];
      }
      if (j >= src.length) throw new ConditionSyntaxError(src, at, 'a text is not closed');
      out.push({ t: 'str', v: text, at });
      i = j + 1;
    } else if (/[\p{L}_]/u.test(c)) {
      const m = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(src.slice(i))!;
      out.push({ t: 'id', v: m[0], at });
      i += m[0].length;
    } else {
      const two = src.slice(i, i + 2);
      const op = ['==', '!=', '<=', '>=', '&&', '||'].includes(two) ? two : '()<>!,'.includes(c) ? c : null;
      if (!op) throw new ConditionSyntaxError(src, at, `unexpected "${c}"`);
      out.push({ t: 'op', v: op, at });
      i += op.length;
    }
  }
  out.push({ t: 'end', at: src.length });
  return out;
}

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly tokens: Token[],
  ) {}

  private get peek(): Token {
    return this.tokens[this.i];
  }

  private isOp(...ops: string[]): boolean {
    const t = this.peek;
    return (t.t === 'op' && ops.includes(t.v)) || (t.t === 'id' && ops.includes(t.v.toLowerCase()));
  }

  private fail(problem: string, at = this.peek.at): never {
    throw new ConditionSyntaxError(this.src, at, problem);
  }

  parse(): ConditionExpr {
    if (this.peek.t === 'end') this.fail('the expression is empty');
    const e = this.or();
    const rest = this.tokens[this.i];
    if (rest.t === 'id')
      this.fail(
        `unexpected word "${rest.v}": join conditions with "and" / "or", and put texts in quotes, e.g. visible("${this.src.trim()}")`,
      );
    if (rest.t !== 'end') this.fail('expected "and", "or", a comparison or the end');
    return e;
  }

  private or(): ConditionExpr {
    let a = this.and();
    while (this.isOp('or', '||')) {
      this.i++;
      a = { k: 'or', a, b: this.and() };
    }
    return a;
  }

  private and(): ConditionExpr {
    let a = this.not();
    while (this.isOp('and', '&&')) {
      this.i++;
      a = { k: 'and', a, b: this.not() };
    }
    return a;
  }

  private not(): ConditionExpr {
    if (this.isOp('not', '!')) {
      this.i++;
      return { k: 'not', e: this.not() };
    }
    return this.cmp();
  }

  private cmp(): ConditionExpr {
    const a = this.value();
    if (this.isOp('==', '!=', '<', '<=', '>', '>=')) {
      const at = this.peek.at;
      const op = (this.tokens[this.i++] as { v: string }).v as ComparisonOp;
      const b = this.value();
      if (this.isOp('==', '!=', '<', '<=', '>', '>=')) this.fail('comparisons cannot be chained; use "and"');
      return { k: 'cmp', op, a, b, at };
    }
    return a;
  }

  private value(): ConditionExpr {
    const t = this.peek;
    if (t.t === 'num' || t.t === 'str') {
      this.i++;
      return { k: 'literal', value: t.v };
    }
    if (t.t === 'op' && t.v === '(') {
      this.i++;
      const e = this.or();
      if (!this.isOp(')')) this.fail('expected ")"');
      this.i++;
      return e;
    }
    if (t.t === 'id') {
      const word = t.v.toLowerCase();
      if (['and', 'or', 'not'].includes(word)) this.fail(`"${t.v}" needs something before it`);
      this.i++;
      if (word === 'true' || word === 'false') return { k: 'literal', value: word === 'true' };
      if (this.isOp('(')) {
        this.i++;
        if (!(t.v in CONDITION_FUNCTIONS))
          this.fail(`unknown function "${t.v}" (known: ${Object.keys(CONDITION_FUNCTIONS).join(', ')})`, t.at);
        const args: ConditionExpr[] = [];
        if (!this.isOp(')')) {
          args.push(this.or());
          while (this.isOp(',')) {
            this.i++;
            args.push(this.or());
          }
        }
        if (!this.isOp(')')) this.fail('expected ")" after the arguments');
        this.i++;
        if (args.length !== 1) this.fail(`${t.v}() takes one text, e.g. ${t.v}("À valider")`, t.at);
        return { k: 'call', fn: t.v as ConditionFunction, args, at: t.at };
      }
      return { k: 'name', name: t.v, at: t.at };
    }
    return this.fail(
      t.t === 'end' ? 'the expression ends too early' : `expected a value, found "${(t as { v: unknown }).v}"`,
    );
  }
}

/** Parses a loop condition; throws ConditionSyntaxError saying where and what is wrong. */
export function parseCondition(expression: string): ConditionExpr {
  return new Parser(expression, tokenize(expression)).parse();
}

/** Every name the expression reads, with where it is. */
export function namesIn(e: ConditionExpr): Array<{ name: string; at: number }> {
  switch (e.k) {
    case 'name':
      return [{ name: e.name, at: e.at }];
    case 'call':
      return e.args.flatMap(namesIn);
    case 'not':
      return namesIn(e.e);
    case 'and':
    case 'or':
    case 'cmp':
      return [...namesIn(e.a), ...namesIn(e.b)];
    default:
      return [];
  }
}

/**
 * Parses `expression` and checks that every name is a fact or one of `parameters`; the error
 * lists what is known. Returns the parsed expression.
 */
export function checkCondition(expression: string, parameters: string[]): ConditionExpr {
  const e = parseCondition(expression);
  const known = new Set([...Object.keys(CONDITION_FACTS), ...parameters, ...parameters.map((p) => `found_${p}`)]);
  for (const n of namesIn(e)) {
    if (known.has(n.name)) continue;
    const found = FOUND.exec(n.name);
    throw new ConditionSyntaxError(
      expression,
      n.at,
      found
        ? `"${n.name}" needs a parameter named "${found[1]}" (parameters: ${parameters.join(', ') || 'none'})`
        : `unknown name "${n.name}" (known: ${[...known].join(', ')}; texts go in quotes, e.g. visible("${n.name}"))`,
    );
  }
  return e;
}

/** What an expression is evaluated against: the screen now, the loop's count, the run's values. */
export interface ConditionFacts {
  iteration: number;
  parameters: Record<string, string>;
  /** Whether the text is on the screen. */
  visible(text: string): boolean;
  /** How many lines of the screen show the text. */
  count(text: string): number;
  /** Whether the edge's target is found on the screen (asked only when the expression uses it). */
  targetVisible(): Promise<boolean>;
}

function truthy(v: ConditionValue): boolean {
  return typeof v === 'string' ? v !== '' : typeof v === 'number' ? v !== 0 && !Number.isNaN(v) : v;
}

function asNumber(v: ConditionValue): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return null;
  const n = Number(v.trim().replace(/\s/g, '').replace(',', '.'));
  return v.trim() !== '' && Number.isFinite(n) ? n : null;
}

/** Evaluates a parsed condition; numbers compare as numbers ("1 200,50" reads as 1200.5), other values as text. */
export async function evaluateCondition(e: ConditionExpr, facts: ConditionFacts): Promise<ConditionValue> {
  switch (e.k) {
    case 'literal':
      return typeof e.value === 'string' ? fillKnownParameters(e.value, facts.parameters) : e.value;
    case 'name': {
      if (e.name === 'iteration') return facts.iteration;
      if (e.name === 'target_visible') return facts.targetVisible();
      const own = parameterValue(facts.parameters, e.name);
      if (own !== undefined) return own;
      const found = FOUND.exec(e.name);
      const shown = found ? parameterValue(facts.parameters, found[1]) : undefined;
      if (shown !== undefined) return facts.visible(shown);
      throw new ConditionSyntaxError(e.name, 0, `"${e.name}" has no value in this run`);
    }
    case 'call': {
      const text = String(await evaluateCondition(e.args[0], facts));
      return e.fn === 'visible' ? facts.visible(text) : facts.count(text);
    }
    case 'not':
      return !truthy(await evaluateCondition(e.e, facts));
    case 'and':
      return truthy(await evaluateCondition(e.a, facts)) && truthy(await evaluateCondition(e.b, facts));
    case 'or':
      return truthy(await evaluateCondition(e.a, facts)) || truthy(await evaluateCondition(e.b, facts));
    case 'cmp': {
      const a = await evaluateCondition(e.a, facts);
      const b = await evaluateCondition(e.b, facts);
      const [x, y] = [asNumber(a), asNumber(b)];
      if (x !== null && y !== null) {
        const r = { '==': x === y, '!=': x !== y, '<': x < y, '<=': x <= y, '>': x > y, '>=': x >= y };
        return r[e.op];
      }
      if (e.op === '==' || e.op === '!=') return (String(a) === String(b)) === (e.op === '==');
      throw new ConditionSyntaxError(
        `${String(a)} ${e.op} ${String(b)}`,
        0,
        `"${e.op}" compares numbers, but got ${JSON.stringify(a)} and ${JSON.stringify(b)}`,
      );
    }
  }
}

/** Whether a loop with this condition goes round once more (before its maximum is checked). */
export async function loopContinues(
  type: 'while' | 'until',
  e: ConditionExpr,
  facts: ConditionFacts,
): Promise<boolean> {
  const holds = truthy(await evaluateCondition(e, facts));
  return type === 'until' ? !holds : holds;
}
