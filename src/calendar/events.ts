/** What the calendar hands to the agenda and the idle screen. */

/**
 * One occurrence of an event. Timed occurrences carry instants (ms since the epoch); all-day
 * occurrences carry dates as UTC midnights (`Date.UTC(y, m, d)`), placed into a phone's own
 * time zone only when shown, since a date is the same day everywhere.
 */
export interface Occurrence {
  /** Stable while the event is unchanged: used in agenda URLs. */
  id: string;
  /** Calendar it belongs to (a CalDAV calendar's display name, or the ics source's name). */
  calendar: string;
  /** The configured source it came from. */
  source: string;
  title: string;
  location?: string;
  description?: string;
  allDay: boolean;
  start: number;
  /** Exclusive end; all-day: the day after the last day. */
  end: number;
}

/** An occurrence as one phone sees it: all-day dates placed at midnight in the phone's zone. */
export interface UpcomingEvent {
  start: Date;
  end: Date;
  allDay: boolean;
  title: string;
  location?: string;
}

export interface PhoneEvent extends UpcomingEvent {
  id: string;
  calendar: string;
  description?: string;
}
