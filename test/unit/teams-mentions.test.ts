/** The Teams command line: the bot's own mention removed, other mentions replaced by the id resolved for them. */
import { describe, expect, it } from 'vitest';
import { Activity, commandLine, mentionsOf, parse } from '../../src/channels/teams/payloads.js';
import { at, channelMessage, mentionEntity } from '../support/teams-activities.js';

const BOB = { id: '29:1bob', name: 'Bob Berg' };
const AAD = 'b0b00000-0000-4000-8000-000000000002';

describe('Teams command line', () => {
  it('removes the bot mention and every mention without a resolved id', () => {
    expect(commandLine('<at>Passerelle</at> group add Skills <at>Bob Berg</at>')).toBe('group add Skills');
    expect(commandLine(undefined)).toBe('');
    expect(commandLine('<at>Passerelle</at>&nbsp;help')).toBe('help');
  });

  it('writes each resolved mention as @id, wherever it is and however often', () => {
    const ids = new Map([[at(BOB), AAD]]);
    expect(commandLine(`<at>Passerelle</at> group add Skills ${at(BOB)}`, ids)).toBe(`group add Skills  @${AAD}`);
    expect(commandLine(`${at(BOB)}&nbsp;<at>Passerelle</at> group remove ${at(BOB)}`, ids)).toBe(`@${AAD}    group remove  @${AAD}`);
  });

  it('reads the people mentioned from the entities, without the bot', () => {
    const activity = parse(Activity, channelMessage({ serviceUrl: 'http://127.0.0.1:1/', text: `group add Skills ${at(BOB)}`, mentions: [BOB] }));
    expect(mentionsOf(activity)).toEqual([mentionEntity(BOB)]);
    expect(() => mentionsOf(parse(Activity, { ...activity, entities: [{ type: 'mention', text: '<at>x</at>' }] }))).toThrow(/mentioned/);
  });
});
