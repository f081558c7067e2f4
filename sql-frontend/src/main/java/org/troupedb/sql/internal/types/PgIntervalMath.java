package org.troupedb.sql.internal.types;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import org.troupedb.sql.Interval;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.errors.SqlRuntimeException;

/**
 * PostgreSQL's interval arithmetic ({@code src/backend/utils/adt/timestamp.c}) on {@link Interval}
 * values: field-wise {@code + -}, {@code * /} by a number with fractions cascading from months to
 * days (30 each) to time, {@code justify_*}, timestamp plus interval (months first, clamped to the
 * month's last day, then days, then time), {@code timestamp - timestamp}, {@code age} and the
 * fields {@code extract} reads. Overflow is 22008 {@code interval out of range}.
 */
public final class PgIntervalMath {
  private PgIntervalMath() {}

  private static final long USECS_PER_DAY = PgIntervalText.MICROS_PER_DAY;
  private static final int DAYS_PER_MONTH = 30;

  public static Interval plus(Interval a, Interval b) {
    try {
      return new Interval(Math.addExact(a.months(), b.months()), Math.addExact(a.days(), b.days()),
          Math.addExact(a.micros(), b.micros()));
    } catch (ArithmeticException e) {
      throw outOfRange();
    }
  }

  public static Interval negate(Interval a) {
    try {
      return new Interval(Math.negateExact(a.months()), Math.negateExact(a.days()), Math.negateExact(a.micros()));
    } catch (ArithmeticException e) {
      throw outOfRange();
    }
  }

  public static Interval minus(Interval a, Interval b) {
    return plus(a, negate(b));
  }

  /** {@code interval_mul}. */
  public static Interval times(Interval span, double factor) {
    double months = span.months() * factor;
    double days = span.days() * factor;
    if (Double.isNaN(factor) || !fitsInt(months) || !fitsInt(days)) {
      throw outOfRange();
    }
    int m = (int) months;
    int d = (int) days;
    double monthRemainderDays = tsRound((span.months() * factor - m) * DAYS_PER_MONTH);
    double secRemainder = tsRound((span.days() * factor - d + monthRemainderDays - (int) monthRemainderDays) * 86400);
    if (Math.abs(secRemainder) >= 86400) {
      d += (int) (secRemainder / 86400);
      secRemainder -= (int) (secRemainder / 86400) * 86400.0;
    }
    d += (int) monthRemainderDays;
    double time = Math.rint(span.micros() * factor + secRemainder * 1e6);
    if (!(time >= Long.MIN_VALUE && time < Long.MAX_VALUE)) {
      throw outOfRange();
    }
    return new Interval(m, d, (long) time);
  }

  /** {@code interval_div}; 22012 for a zero divisor. */
  public static Interval divide(Interval span, double factor) {
    if (factor == 0.0) {
      throw new SqlRuntimeException(new SqlException(SqlState.DIVISION_BY_ZERO, "division by zero"));
    }
    int m = (int) (span.months() / factor);
    int d = (int) (span.days() / factor);
    double monthRemainderDays = tsRound((span.months() / factor - m) * DAYS_PER_MONTH);
    double secRemainder = tsRound((span.days() / factor - d + monthRemainderDays - (int) monthRemainderDays) * 86400);
    if (Math.abs(secRemainder) >= 86400) {
      d += (int) (secRemainder / 86400);
      secRemainder -= (int) (secRemainder / 86400) * 86400.0;
    }
    d += (int) monthRemainderDays;
    return new Interval(m, d, (long) Math.rint(span.micros() / factor + secRemainder * 1e6));
  }

  private static double tsRound(double j) {
    return Math.rint(j * 1e6) / 1e6;
  }

  private static boolean fitsInt(double v) {
    return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
  }

  /** {@code justify_hours}: whole days out of the time. */
  public static Interval justifyHours(Interval span) {
    long time = span.micros() % USECS_PER_DAY;
    long day = span.days() + span.micros() / USECS_PER_DAY;
    if (day > 0 && time < 0) {
      time += USECS_PER_DAY;
      day--;
    } else if (day < 0 && time > 0) {
      time -= USECS_PER_DAY;
      day++;
    }
    return new Interval(span.months(), toInt(day), time);
  }

  /** {@code justify_days}: whole 30-day months out of the days. */
  public static Interval justifyDays(Interval span) {
    long month = span.months() + span.days() / DAYS_PER_MONTH;
    long day = span.days() % DAYS_PER_MONTH;
    if (month > 0 && day < 0) {
      day += DAYS_PER_MONTH;
      month--;
    } else if (month < 0 && day > 0) {
      day -= DAYS_PER_MONTH;
      month++;
    }
    return new Interval(toInt(month), (int) day, span.micros());
  }

  /** {@code justify_interval}: both, with the signs made to agree. */
  public static Interval justifyInterval(Interval span) {
    long time = span.micros() % USECS_PER_DAY;
    long day = span.days() + span.micros() / USECS_PER_DAY;
    long month = span.months() + day / DAYS_PER_MONTH;
    day = day % DAYS_PER_MONTH;
    if (month > 0 && (day < 0 || day == 0 && time < 0)) {
      day += DAYS_PER_MONTH;
      month--;
    } else if (month < 0 && (day > 0 || day == 0 && time > 0)) {
      day -= DAYS_PER_MONTH;
      month++;
    }
    if (day > 0 && time < 0) {
      time += USECS_PER_DAY;
      day--;
    } else if (day < 0 && time > 0) {
      time -= USECS_PER_DAY;
      day++;
    }
    return new Interval(toInt(month), toInt(day), time);
  }

  /** {@code timestamp + interval} on microseconds since the epoch (no zone). */
  public static long plusTimestamp(long micros, Interval span) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
    try {
      t = t.plusMonths(span.months()).plusDays(span.days()); // plusMonths clamps to the month's last day
      long base = t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1000;
      return Math.addExact(base, span.micros());
    } catch (ArithmeticException | java.time.DateTimeException e) {
      throw new SqlRuntimeException(new SqlException(SqlState.DATETIME_FIELD_OVERFLOW, "timestamp out of range"));
    }
  }

  /** {@code timestamptz + interval}: months and days in {@code zone}'s calendar (DST kept), then time. */
  public static long plusTimestampTz(long micros, Interval span, ZoneId zone) {
    if (span.months() == 0 && span.days() == 0) {
      return Math.addExact(micros, span.micros());
    }
    ZonedDateTime t = ZonedDateTime.ofInstant(ColumnType.instant(micros), zone);
    try {
      t = t.plusMonths(span.months()).plusDays(span.days());
      return Math.addExact(ColumnType.micros(t.toInstant()), span.micros());
    } catch (ArithmeticException | java.time.DateTimeException e) {
      throw new SqlRuntimeException(new SqlException(SqlState.DATETIME_FIELD_OVERFLOW, "timestamp out of range"));
    }
  }

  /** {@code timestamp - timestamp}: microseconds, whole days split out ({@code justify_hours}). */
  public static Interval difference(long a, long b) {
    try {
      return justifyHours(new Interval(0, 0, Math.subtractExact(a, b)));
    } catch (ArithmeticException e) {
      throw outOfRange();
    }
  }

  /** {@code age(a, b)}: field-wise difference of the two calendar times, borrowing as PostgreSQL does. */
  public static Interval age(long a, long b) {
    LocalDateTime t1 = local(a);
    LocalDateTime t2 = local(b);
    boolean flip = a < b;
    long fsec = t1.getNano() / 1000 - t2.getNano() / 1000;
    long sec = t1.getSecond() - t2.getSecond();
    long min = t1.getMinute() - t2.getMinute();
    long hour = t1.getHour() - t2.getHour();
    long mday = t1.getDayOfMonth() - t2.getDayOfMonth();
    long mon = t1.getMonthValue() - t2.getMonthValue();
    long year = t1.getYear() - t2.getYear();
    if (flip) {
      fsec = -fsec;
      sec = -sec;
      min = -min;
      hour = -hour;
      mday = -mday;
      mon = -mon;
      year = -year;
    }
    while (fsec < 0) {
      fsec += 1_000_000;
      sec--;
    }
    while (sec < 0) {
      sec += 60;
      min--;
    }
    while (min < 0) {
      min += 60;
      hour--;
    }
    while (hour < 0) {
      hour += 24;
      mday--;
    }
    while (mday < 0) {
      LocalDateTime ref = flip ? t1 : t2;
      mday += ref.toLocalDate().lengthOfMonth();
      mon--;
    }
    while (mon < 0) {
      mon += 12;
      year--;
    }
    if (flip) {
      fsec = -fsec;
      sec = -sec;
      min = -min;
      hour = -hour;
      mday = -mday;
      mon = -mon;
      year = -year;
    }
    return new Interval(toInt(year * 12 + mon), toInt(mday), ((hour * 60 + min) * 60 + sec) * 1_000_000L + fsec);
  }

  private static LocalDateTime local(long micros) {
    return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
  }

  /** Midnight of {@code micros}' day (for {@code age(ts)}: age from the current date). */
  public static long midnight(long micros) {
    return Math.floorDiv(micros, USECS_PER_DAY) * USECS_PER_DAY;
  }

  /** {@code date + interval} as a timestamp. */
  public static long plusDate(int days, Interval span) {
    return plusTimestamp(LocalDate.ofEpochDay(days).toEpochDay() * USECS_PER_DAY, span);
  }

  /** {@code time + interval}: the time part only, wrapping around midnight; milliseconds since midnight. */
  public static int plusTime(int millis, Interval span) {
    long r = (millis * 1000L + span.micros()) % USECS_PER_DAY;
    if (r < 0) {
      r += USECS_PER_DAY;
    }
    return (int) (r / 1000);
  }

  /** {@code extract(field FROM interval)} as PostgreSQL 15 computes it (numeric). */
  public static BigDecimal extract(String field, Interval iv) {
    long time = iv.micros();
    long hour = time / PgIntervalText.MICROS_PER_HOUR;
    long rest = time - hour * PgIntervalText.MICROS_PER_HOUR;
    long min = rest / 60_000_000L;
    long secMicros = rest - min * 60_000_000L;
    int year = iv.months() / 12;
    return switch (field) {
      case "microsecond", "microseconds" -> BigDecimal.valueOf(secMicros);
      case "millisecond", "milliseconds" -> BigDecimal.valueOf(secMicros, 3);
      case "second", "seconds" -> BigDecimal.valueOf(secMicros, 6);
      case "minute", "minutes" -> BigDecimal.valueOf(min);
      case "hour", "hours" -> BigDecimal.valueOf(hour);
      case "day", "days" -> BigDecimal.valueOf(iv.days());
      case "month", "months" -> BigDecimal.valueOf(iv.months() % 12);
      case "quarter" -> BigDecimal.valueOf(iv.months() % 12 / 3 + 1);
      case "year", "years" -> BigDecimal.valueOf(year);
      case "decade", "decades" -> BigDecimal.valueOf(year / 10);
      case "century", "centuries" -> BigDecimal.valueOf(year / 100);
      case "millennium", "millennia" -> BigDecimal.valueOf(year / 1000);
      case "epoch" -> BigDecimal.valueOf(year).multiply(BigDecimal.valueOf(31_557_600L))
          .add(BigDecimal.valueOf((long) (iv.months() % 12) * DAYS_PER_MONTH * 86_400L))
          .add(BigDecimal.valueOf((long) iv.days() * 86_400L))
          .setScale(6).add(BigDecimal.valueOf(time, 6));
      default -> throw new SqlRuntimeException(new SqlException(SqlState.FEATURE_NOT_SUPPORTED,
          "unit \"" + field + "\" not supported for type interval"));
    };
  }

  /** {@code make_interval(years, months, weeks, days, hours, mins, secs)}. */
  public static Interval make(int years, int months, int weeks, int days, int hours, int mins, double secs) {
    try {
      long time = Math.addExact(Math.multiplyExact((long) hours * 3600 + (long) mins * 60, 1_000_000L),
          (long) Math.rint(secs * 1e6));
      return new Interval(Math.addExact(Math.multiplyExact(years, 12), months),
          Math.addExact(Math.multiplyExact(weeks, 7), days), time);
    } catch (ArithmeticException e) {
      throw outOfRange();
    }
  }

  /** {@link PgIntervalText#decode} for code that cannot throw SqlException (a bad value is its 22007 all the same). */
  public static Interval decodeUnchecked(String s) {
    try {
      return PgIntervalText.decode(s);
    } catch (SqlException e) {
      throw new SqlRuntimeException(e);
    }
  }

  private static int toInt(long v) {
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw outOfRange();
    }
    return (int) v;
  }

  private static SqlRuntimeException outOfRange() {
    return new SqlRuntimeException(new SqlException(SqlState.DATETIME_FIELD_OVERFLOW, "interval out of range"));
  }
}
