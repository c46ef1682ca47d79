/**
 * The calendar months of a date range, each clipped to the range: an archive job is worked
 * (and quoted) one month at a time, the unit of the cold archive's layout
 * (cdr/cold/month=YYYY-MM).
 */
export interface MonthSlice {
  readonly month: string;
  readonly from: string;
  readonly to: string;
}

const lastDayOf = (y: number, m: number): string => new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);

export function monthsOf(fromDay: string, toDay: string): MonthSlice[] {
  const out: MonthSlice[] = [];
  let y = Number(fromDay.slice(0, 4));
  let m = Number(fromDay.slice(5, 7));
  for (;;) {
    const month = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    if (month > toDay.slice(0, 7)) break;
    const first = `${month}-01`;
    const last = lastDayOf(y, m);
    out.push({ month, from: first < fromDay ? fromDay : first, to: last > toDay ? toDay : last });
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return out;
}
