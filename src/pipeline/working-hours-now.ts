/**
 * Working hours at the moment a build runs: whether a service with these working hours (Application
 * Auto Scaling's wake and sleep actions, AWS cron in a time zone) is awake or asleep right now. The
 * masking job asks this after a mask, to resume the scalable target at the capacity the schedule would
 * have left it at: a mask that ends at night leaves the service asleep, one in the day wakes it.
 *
 * It runs inside the build, where the kit is not installed: `WORKING_HOURS_FUNCTION` is the source of one
 * plain JavaScript function, which the buildspec runs with the image's `node` (`workingHoursScript`),
 * and which synth runs too, to refuse an expression it cannot read (`workingHoursNowProblem`). Its text
 * holds no "${" (Terraform would read it as an interpolation in the project's buildspec).
 *
 * The state is the one the last action left, as `src/operations/schedule.ts` (croner) says it for
 * `npm run status`: walking back minute by minute from now, the first minute either expression fires
 * decides (a wake and a sleep at once: asleep); none in the year before, then the first one after now
 * (a sleep first: awake). Daylight saving time as croner has it: a fixed-time action (one minute, one
 * hour) in a skipped hour fires at the first minute after the gap, and only once in a repeated hour;
 * others skip the gap and fire in both passes. The zone's offset is read once a quarter hour (every
 * zone changes it on one), and once a day for a day that starts and ends on the same offset. The walk
 * passes over a quarter hour's minutes (but its first when the offset changed there: only that one can follow a gap) in one step when
 * neither expression can fire in them (hour, day, month, no minute of the span): a year back and a year
 * ahead take milliseconds, with the same answer as minute by minute.
 *
 * The cron syntax it reads is AWS's, as the kit's rules admit it: minutes, hours, day-of-month, month
 * (numbers or JAN-DEC), day-of-week (SUN-SAT), with `*`, `?`, ranges, lists and `/` steps; `L`, `LW` and
 * `<n>W` in day-of-month; `<DAY>#<n>` and `<DAY>#L` in day-of-week. Anything else it refuses.
 */

/** `(wake, sleep, timeZone, now) => "awake" | "asleep"`; throws on an expression it cannot read. */
export const WORKING_HOURS_FUNCTION = String.raw`function (wake, sleep, zone, now) {
  var MINUTE = 60000;
  var YEAR = 366 * 24 * 60;
  var MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
  var DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
  var format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
  var QUARTER = 15 * MINUTE;
  var HOUR = 60 * MINUTE;
  var DAY = 24 * HOUR;
  var offsets = {};
  var dayOffsets = {};
  function read(q) {
    var p = {};
    format.formatToParts(new Date(q)).forEach(function (part) { p[part.type] = Number(part.value); });
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - q;
  }
  function offset(q) {
    var day = Math.floor(q / DAY) * DAY;
    if (dayOffsets[day] === undefined) {
      var first = read(day);
      dayOffsets[day] = first === read(day + DAY - QUARTER) ? first : null;
    }
    if (dayOffsets[day] !== null) return dayOffsets[day];
    if (offsets[q] === undefined) offsets[q] = read(q);
    return offsets[q];
  }
  function wall(t) {
    return t + offset(Math.floor(t / QUARTER) * QUARTER);
  }
  function daysIn(y, m) { return new Date(Date.UTC(y, m, 0)).getUTCDate(); }
  function weekday(y, m, d) { return new Date(Date.UTC(y, m - 1, d)).getUTCDay(); }
  function nearestWeekday(y, m, d) {
    var last = daysIn(y, m);
    if (d > last) return -1;
    var w = weekday(y, m, d);
    if (w === 6) return d === 1 ? 3 : d - 1;
    if (w === 0) return d === last ? d - 2 : d + 1;
    return d;
  }
  function parse(expression) {
    var inner = /^cron\((.*)\)$/.exec(String(expression).trim());
    var fields = inner ? inner[1].trim().split(/\s+/) : [];
    function fail(why) { throw new Error(expression + ': ' + why); }
    if (fields.length !== 6) fail('not an AWS cron expression of six fields');
    function value(text, min, max, names) {
      var named = names ? names.indexOf(text.toUpperCase()) : -1;
      var v = named >= 0 ? named + (names === MONTHS ? 1 : 0) : /^\d+$/.test(text) ? Number(text) : NaN;
      if (!(v >= min && v <= max)) fail('cannot read ' + JSON.stringify(text));
      return v;
    }
    function numbers(field, min, max, names) {
      var allowed = {};
      field.split(',').forEach(function (part) {
        var m = /^(\*|\?|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
        if (!m) fail('cannot read ' + JSON.stringify(part));
        var lo = min;
        var hi = max;
        if (m[1] !== '*' && m[1] !== '?') {
          var ends = m[1].split('-');
          lo = value(ends[0], min, max, names);
          hi = ends.length > 1 ? value(ends[1], min, max, names) : m[2] ? max : lo;
        }
        var step = m[2] === undefined ? 1 : Number(m[2]);
        if (!(step >= 1)) fail('a step must be at least 1');
        for (var v = lo; v <= hi; v += step) allowed[v] = true;
      });
      return allowed;
    }
    var dom = fields[2];
    var dow = fields[4];
    var days = [];
    if (dom !== '?' && dom !== '*') {
      dom.split(',').forEach(function (part) {
        var upper = part.toUpperCase();
        var w = /^(\d+)W$/.exec(upper);
        if (upper === 'L') days.push(function (y, m, d) { return d === daysIn(y, m); });
        else if (upper === 'LW') days.push(function (y, m, d) { return d === nearestWeekday(y, m, daysIn(y, m)); });
        else if (w) { var n = value(w[1], 1, 31); days.push(function (y, m, d) { return d === nearestWeekday(y, m, n); }); }
        else { var set = numbers(part, 1, 31); days.push(function (y, m, d) { return set[d] === true; }); }
      });
    } else if (dow !== '?' && dow !== '*') {
      dow.split(',').forEach(function (part) {
        var nth = /^([A-Za-z]+)#([1-5L])$/.exec(part);
        if (nth) {
          var day = value(nth[1], 0, 6, DAYS);
          var which = nth[2];
          days.push(function (y, m, d) {
            if (weekday(y, m, d) !== day) return false;
            return which === 'L' ? d + 7 > daysIn(y, m) : Math.ceil(d / 7) === Number(which);
          });
        } else {
          var set = numbers(part, 0, 6, DAYS);
          days.push(function (y, m, d) { return set[weekday(y, m, d)] === true; });
        }
      });
    } else {
      days.push(function () { return true; });
    }
    var minutes = numbers(fields[0], 0, 59);
    var hours = numbers(fields[1], 0, 23);
    var months = numbers(fields[3], 1, 12, MONTHS);
    var dayMatches = {};
    function hourMatches(local) {
      var date = new Date(local);
      var m = date.getUTCMonth() + 1;
      if (!hours[date.getUTCHours()] || !months[m]) return false;
      var key = Math.floor(local / DAY);
      if (dayMatches[key] === undefined) {
        var y = date.getUTCFullYear();
        var d = date.getUTCDate();
        dayMatches[key] = days.some(function (matches) { return matches(y, m, d); });
      }
      return dayMatches[key];
    }
    return {
      fixed: /^\d+$/.test(fields[0]) && /^\d+$/.test(fields[1]),
      at: function (local) {
        return minutes[new Date(local).getUTCMinutes()] === true && hourMatches(local);
      },
      within: function (from, to) {
        if (Math.floor(from / HOUR) !== Math.floor(to / HOUR)) return true;
        if (!hourMatches(from)) return false;
        for (var v = new Date(from).getUTCMinutes(), last = new Date(to).getUTCMinutes(); v <= last; v++) if (minutes[v]) return true;
        return false;
      },
    };
  }
  function fires(job, t) {
    var local = wall(t);
    if (job.at(local)) {
      if (!job.fixed) return true;
      return ![30, 60, 120].some(function (k) { return wall(t - k * MINUTE) === local; });
    }
    if (!job.fixed) return false;
    for (var skipped = wall(t - MINUTE) + MINUTE; skipped < local; skipped += MINUTE) if (job.at(skipped)) return true;
    return false;
  }
  var jobs = { wake: parse(wake), sleep: parse(sleep) };
  function quiet(from, to) {
    var o = offset(Math.floor(from / QUARTER) * QUARTER);
    return !jobs.sleep.within(from + o, to + o) && !jobs.wake.within(from + o, to + o);
  }
  var start = Math.floor(new Date(now).getTime() / MINUTE) * MINUTE;
  var earliest = start - YEAR * MINUTE;
  function gap(q) { return offset(q) !== offset(q - QUARTER); }
  for (var t = start; t >= earliest; t -= MINUTE) {
    var q = Math.floor(t / QUARTER) * QUARTER;
    var first = Math.max(gap(q) ? q + MINUTE : q, earliest);
    if (first <= t && quiet(first, t)) { t = first; continue; }
    var slept = fires(jobs.sleep, t);
    if (slept) return 'asleep';
    if (fires(jobs.wake, t)) return 'awake';
  }
  var latest = start + YEAR * MINUTE;
  for (var u = start + MINUTE; u <= latest; u += MINUTE) {
    if (u % QUARTER !== 0 || !gap(u)) {
      var end = Math.min(Math.floor(u / QUARTER) * QUARTER + QUARTER - MINUTE, latest);
      if (quiet(u, end)) { u = end; continue; }
    }
    var sleeps = fires(jobs.sleep, u);
    var wakes = fires(jobs.wake, u);
    if (sleeps && !wakes) return 'awake';
    if (wakes) return 'asleep';
  }
  return 'asleep';
}`;

/** The variables the script reads: the two expressions and their time zone. */
export const WORKING_HOURS_VARIABLES = { wake: 'MASK_WAKE', sleep: 'MASK_SLEEP', timezone: 'MASK_TIMEZONE' } as const;

/** `node -e` of this prints "awake" or "asleep" for the working hours in `WORKING_HOURS_VARIABLES`, now. */
export function workingHoursScript(): string {
  const env = (name: keyof typeof WORKING_HOURS_VARIABLES) => `process.env.${WORKING_HOURS_VARIABLES[name]}`;
  // one line: the function holds no comment a join could extend
  return `process.stdout.write((${WORKING_HOURS_FUNCTION.replace(/\n\s*/g, ' ')})(${env('wake')}, ${env('sleep')}, ${env('timezone')}, new Date()) + '\\n');`;
}

type WorkingHoursNow = (wake: string, sleep: string, timezone: string, now: Date | number) => 'awake' | 'asleep';

/** The function itself, compiled here: what the build runs, for synth's checks and the tests. */
export const workingHoursNow: WorkingHoursNow = new Function(`return (${WORKING_HOURS_FUNCTION});`)() as WorkingHoursNow;

/** Why the build could not read `expression`, or undefined. */
export function workingHoursNowProblem(expression: string): string | undefined {
  try {
    // the parse runs before any walk: an expression it reads, with a sleep that fires at once
    workingHoursNow(expression, 'cron(* * ? * * *)', 'UTC', 0);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
