/** The pieces of the frameworks import: mojibake repair, HTML to text, links, types, countries, keys. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readEurofound, sourceKeyOf, type ReadRow } from '../../src/core/frameworks/eurofound.js';
import { firstLink, plainName, plainText, repairMojibake } from '../../src/core/frameworks/text.js';
import { countryCode, instrumentCategory, matchFrameworkTypes, regulationType } from '../../src/core/frameworks/vocabulary.js';

describe('repairMojibake', () => {
  it('decodes UTF-8 that was read as Windows-1253: Latin letters, punctuation, Greek and Czech', () => {
    expect(repairMojibake('Business Region GΓ¶teborg AB')).toBe('Business Region Göteborg AB');
    expect(repairMojibake('AssemblΓ©e nationale, FormaΓ§Γ£o, CiΓ\uf8f9ncia')).toBe('Assemblée nationale, Formação, Ciência');
    expect(repairMojibake('the companyβ€™s plan β€“ 2014')).toBe('the company’s plan – 2014');
    expect(repairMojibake('zahraniΔ\u008dnΓ­ Δ\u008cMKOS')).toBe('zahraniční ČMKOS');
    expect(repairMojibake('Ξ±ΟƒΟ†Ξ±Ξ»Ξ―ΟƒΞµΟ‰Ξ½')).toBe('ασφαλίσεων');
  });

  it('leaves real Greek text and clean text alone', () => {
    for (const text of ['Ν. 28(I)/2001 - Ο περί Ομαδικών Απολύσεων Νόμος του 2001', 'Θέσπισης Γενικού Πλαισίου', '«ΕΠΕ»', 'Göteborg, Ärende, Œuvre — 100 €']) {
      expect(repairMojibake(text)).toBe(text);
    }
  });
});

describe('plainText', () => {
  it('turns HTML with entities and literal \\r\\n into paragraphs and bullets', () => {
    expect(plainText('<p>First&nbsp;part, n&deg;9 &amp; more.</p>\\r\\n<ul>\\r\\n<li>one</li>\\r\\n<li>two</li>\\r\\n</ul>')).toBe('First part, n°9 & more.\n\n• one\n• two');
    expect(plainText('<p>See <a href="http://example.org">the <strong>law</strong></a></p>')).toBe('See the law');
    expect(plainText('<p>Text</p><!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->')).toBe('Text');
    expect(plainText('Line one\\r\\nLine two')).toBe('Line one\nLine two');
    expect(plainName(' O&O-fondsen ')).toBe('O&O-fondsen');
  });

  it('finds the first link of a field', () => {
    expect(firstLink('<p><a title="x" href="http://www.ris.bka.gv.at/Dokument.wxe?Abfrage=Bundesnormen&amp;Nr=1">RIS</a></p>')).toBe('http://www.ris.bka.gv.at/Dokument.wxe?Abfrage=Bundesnormen&Nr=1');
    expect(firstLink('<p>No link here</p>')).toBeUndefined();
    expect(firstLink('see https://example.org/a.')).toBe('https://example.org/a.');
  });
});

describe('vocabularies', () => {
  it('maps the English country names of the ERM to Eurostat codes', () => {
    expect(countryCode('United Kingdom')).toBe('UK');
    expect(countryCode('Greece')).toBe('EL');
    expect(countryCode('Czech Republic')).toBe('CZ');
    expect(countryCode(' france ')).toBe('FR');
    expect(countryCode('Atlantis')).toBeUndefined();
  });

  it('knows the 19 legislation types of the data (two lacking from the ERM vocabulary file) and the 22 categories', () => {
    expect(regulationType("employers' obligation to support redundant employees")).toBeDefined();
    expect(regulationType("Redundant employees' entitlement to public support")).toBeDefined();
    expect(regulationType('Severance pay/Redundancy compensation')).toBe('severance pay/redundancy compensation');
    expect(regulationType('flexicurity')).toBeUndefined();
    expect(instrumentCategory('Matching')).toBe('matching/networking');
    expect(instrumentCategory('fostering mobility')).toBe('fostering mobility');
  });

  it('finds the type typed in chat by its words', () => {
    expect(matchFrameworkTypes('severance')).toEqual(['severance pay/redundancy compensation']);
    expect(matchFrameworkTypes('training')).toEqual(['training']);
    expect(matchFrameworkTypes('wage guarantee')).toEqual(['wage guarantee in case of insolvency']);
    expect(matchFrameworkTypes('working time flexibility')).toEqual(['working time flexibility']);
    expect(matchFrameworkTypes('consultation').length).toBeGreaterThan(1);
    expect(matchFrameworkTypes('flexicurity')).toEqual([]);
  });

  it('keys an entry by its country and names whatever their case and spacing', () => {
    expect(sourceKeyOf(['FR', 'Code du travail', 'Labour Code'])).toBe(sourceKeyOf(['FR', ' code  du Travail', 'labour code ']));
    expect(sourceKeyOf(['FR', 'Code du travail', 'Labour Code'])).not.toBe(sourceKeyOf(['BE', 'Code du travail', 'Labour Code']));
  });
});

describe('readEurofound', () => {
  const header = '\uFEFF"name"~"english_name"~"description"~"article"~"comments"~"url"~"source"~"name"~"phase"~"funding"~"involvements"~"thresholds"~"type"';
  const row = (country: string, type: string) =>
    `"Loi"~"Act"~"<p>Text</p>"~""~""~""~""~"${country}"~"Management"~"N.A."~"national government*other#Mediation board"~"company size by number of employees#20*number of affected employees#"~"${type}"`;
  const read = async (text: string) => {
    const rows: ReadRow[] = [];
    for await (const r of readEurofound(Readable.from([text]), 'eurofound-legislation')) rows.push(r);
    return rows;
  };

  it('reads a row into an entry, and numbers rows from 1 after the header, skipping blank lines', async () => {
    const rows = await read(`${header}\n${row('Greece', 'notice period to employees')}\n\n${row('Nowhere', 'notice period to employees')}\n`);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      row: 1,
      entry: {
        country: 'EL',
        kind: 'legislation',
        nameOriginal: 'Loi',
        nameEnglish: 'Act',
        description: 'Text',
        phase: 'management',
        category: 'notice period to employees',
        actors: [{ type: 'national government' }, { type: 'other', comment: 'Mediation board' }],
        thresholds: 'company size by number of employees: 20',
        sourceUrl: null,
      },
    });
    expect(rows[1]).toEqual({ row: 3, problem: { field: 'country', reason: expect.stringContaining('unknown country "Nowhere"') } });
  });
});
