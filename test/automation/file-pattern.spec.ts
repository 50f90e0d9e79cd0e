/**
 * File-trigger patterns: the names they take and leave, the patterns refused with the reason,
 * and matching that stays fast for any accepted pattern against the longest file name.
 */
import assert from 'assert';
import { fileNameMatcher, filePatternProblem } from '../../lib/automation';

describe('automation: file-trigger patterns', () => {
  it('takes the names a user means, never hidden files unless the pattern starts with a dot', () => {
    const cases: Array<[string, string[], string[]]> = [
      ['*.pdf', ['invoice.pdf', 'a b.pdf'], ['invoice.PDF', '.~lock.invoice.pdf', 'invoice.pdf.part']],
      ['invoice-??.{pdf,PDF}', ['invoice-07.pdf', 'invoice-42.PDF'], ['invoice-7.pdf', 'invoice-042.pdf']],
      ['[!~]*.docx', ['report.docx'], ['~report.docx']],
      ['doc-[0-9]*.csv', ['doc-1.csv', 'doc-42x.csv'], ['doc-x.csv']],
      ['.*', ['.hidden'], ['visible']],
      ['*', ['anything.txt'], ['.hidden']],
      ['!*.pdf', ['!x.pdf'], ['x.pdf']],
      ['+(a|b).txt', ['+(a|b).txt'], ['ab.txt']],
    ];
    for (const [pattern, taken, left] of cases) {
      assert.strictEqual(filePatternProblem(pattern), undefined, pattern);
      const matches = fileNameMatcher(pattern);
      for (const name of taken) assert.ok(matches(name), `${pattern} takes ${name}`);
      for (const name of left) assert.ok(!matches(name), `${pattern} leaves ${name}`);
    }
  });

  it('refuses paths and patterns whose matching could take seconds, saying why', () => {
    assert.match(filePatternProblem('../*.pdf')!, /without "\/"/);
    assert.match(filePatternProblem('a\\b.pdf')!, /without "\/"/);
    assert.match(filePatternProblem('*a*a*b')!, /at most 2 "\*"/);
    assert.match(filePatternProblem('{a,aa}{a,aa}.txt')!, /at most 1 "\{…\}" group/);
    assert.match(filePatternProblem('')!, /1 to 200 characters/);
    assert.match(filePatternProblem('x'.repeat(201))!, /1 to 200 characters/);
  });

  it('matches the longest file name against the worst accepted patterns in well under a millisecond', () => {
    const longest = 'a'.repeat(255);
    for (const pattern of ['*a*b', '*?*?b', '*aa?*aa?b', '{a,aa,aaa}*a*b', '[!b]*[!b]*b']) {
      assert.strictEqual(filePatternProblem(pattern), undefined, pattern);
      const matches = fileNameMatcher(pattern);
      const started = process.hrtime.bigint();
      for (let i = 0; i < 100; i++) matches(longest);
      const perMatchMs = Number(process.hrtime.bigint() - started) / 1e6 / 100;
      assert.ok(perMatchMs < 1, `${pattern}: ${perMatchMs.toFixed(3)} ms per match`);
    }
  });
});
