/**
 * The invitation of a confirmed exchange as an iCalendar file (RFC 5545, written by ical-generator):
 * one event in UTC (every calendar shows it in its own zone), with the agenda in the description.
 * A cancelled exchange's file says STATUS:CANCELLED with a higher SEQUENCE, so calendars that import
 * it again drop the event.
 */
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { translator } from '../../../templates/i18n.js';
import { agendaText, languageName } from '../../../templates/exchange-views.js';
import type { ExchangeData } from './details.js';

export const ICS_MIME = 'text/calendar';

export function invitationIcs(d: ExchangeData, language: string, names: Record<string, string>): string {
  const slot = d.confirmed;
  if (!slot) throw new Error(`exchange ${d.id} has no confirmed slot`);
  const t = translator(language);
  const title = t('exchange.title', { id: d.id, topic: d.topic });
  const link = /^https?:\/\/\S+$/i.test(d.place) ? d.place : null;
  const description = [
    `${t('exchange.agenda')}:`,
    agendaText(t, d),
    '',
    `${t('exchange.platforms')}: ${d.platformIds.map((id) => names[id] ?? id).join(', ')}`,
    `${t('exchange.languages')}: ${d.languages.map((l) => languageName(l, language)).join(', ')}`,
    `${t('exchange.organiser')}: ${d.organiser}`,
    `${t('exchange.place')}: ${d.place}`,
  ].join('\n');
  const calendar = ical({ prodId: { company: 'Passerelle', product: 'Exchanges', language: language.toUpperCase() }, method: ICalCalendarMethod.PUBLISH, name: title });
  calendar.createEvent({
    id: `exchange-${d.id}@passerelle`,
    start: slot.startsAt,
    end: new Date(slot.startsAt.getTime() + d.durationMinutes * 60_000),
    summary: title,
    location: d.place,
    url: link,
    description,
    status: d.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    sequence: d.status === 'cancelled' ? 1 : 0,
  });
  return calendar.toString();
}
