import { expect } from 'chai';
import { cannedVariables, expandCanned } from '../../src/core/canned.js';

describe('canned responses: expandCanned', () => {
  const names = { visitor: 'Ada Lovelace', operator: 'Zoe' };
  const table: Array<[string, string, { visitor?: string | null; operator?: string | null }, string]> = [
    ['both variables', 'Hello %VISITOR%, I am %OPERATOR%.', names, 'Hello Ada Lovelace, I am Zoe.'],
    ['no variables', 'How can I help?', names, 'How can I help?'],
    ['a variable used twice', '%VISITOR%? %VISITOR%!', names, 'Ada Lovelace? Ada Lovelace!'],
    ['lower or mixed case variables', 'Hi %visitor%, %Operator% here', names, 'Hi Ada Lovelace, Zoe here'],
    ['an unknown variable is left alone', 'Your ticket %TICKET% (%VISITOR%)', names, 'Your ticket %TICKET% (Ada Lovelace)'],
    ['a lone percent sign', '100% sure, %OPERATOR%', names, '100% sure, Zoe'],
    ['a name holding a variable is not expanded again', 'Hi %VISITOR%', { visitor: '%OPERATOR%', operator: 'Zoe' }, 'Hi %OPERATOR%'],
    ['dollar patterns in a name are inserted literally', 'Hi %VISITOR%', { visitor: "$& $1 $$ $'", operator: 'Zoe' }, "Hi $& $1 $$ $'"],
    ['a missing name becomes empty', 'Hi %VISITOR%.', { operator: 'Zoe' }, 'Hi .'],
    ['a null name becomes empty', '%OPERATOR%', { visitor: 'A', operator: null }, ''],
    ['names are trimmed', '[%VISITOR%]', { visitor: '  Ada  ' }, '[Ada]'],
    ['unicode names', 'Hi %VISITOR% 👋', { visitor: 'Zoë 李' }, 'Hi Zoë 李 👋'],
    ['a variable split across lines is not a variable', '%VISI\nTOR%', names, '%VISI\nTOR%'],
  ];
  for (const [what, text, n, expected] of table) {
    it(what, () => expect(expandCanned(text, n)).to.equal(expected));
  }

  it('is pure: the same call gives the same text (no regex state between calls)', () => {
    const t = 'Hi %VISITOR%';
    expect(expandCanned(t, names)).to.equal(expandCanned(t, names));
  });

  it('lists the variables a text uses', () => {
    expect(cannedVariables('Hi %visitor%, %OPERATOR% and %VISITOR% again %X%')).to.deep.equal(['VISITOR', 'OPERATOR']);
    expect(cannedVariables('plain')).to.deep.equal([]);
  });
});
