package org.troupedb.sql.internal.functions;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's {@code to_char(number, text)} templates: {@code 9} (a digit, a leading zero is a
 * blank), {@code 0} (a digit, leading zeros printed from the first {@code 0} on), {@code .}/{@code D}
 * (decimal point), {@code ,}/{@code G} (group separator, blank before the first digit), {@code S}
 * (sign, {@code +} or {@code -}), {@code MI} (minus or blank, where written), {@code FM} (no blanks,
 * no trailing zeros in {@code 9} fraction positions), {@code "quoted"} and other text as itself.
 * Without S or MI the sign takes one place in front of the first digit ({@code ' -12'} for
 * {@code to_char(-12, '999')}); a number with more integer digits than the template is {@code #}s.
 * Rounding is half away from zero, as PostgreSQL's.
 */
final class PgNumberFormat {
  private PgNumberFormat() {}

  private enum Kind { NINE, ZERO, POINT, GROUP, SIGN, MINUS, TEXT }

  private record Item(Kind kind, boolean fraction, String text) {}

  /** A character of the output: {@code number} when it belongs to the number area (blanks may go). */
  private record Out(char c, boolean number) {}

  static String format(BigDecimal value, String format) {
    boolean fm = false;
    List<Item> items = new ArrayList<>();
    boolean inFraction = false;
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (format.regionMatches(true, i, "FM", 0, 2)) {
        fm = true;
        i++;
      } else if (format.regionMatches(true, i, "MI", 0, 2)) {
        items.add(new Item(Kind.MINUS, inFraction, null));
        i++;
      } else if (c == '9' || c == '0') {
        items.add(new Item(c == '9' ? Kind.NINE : Kind.ZERO, inFraction, null));
      } else if ((c == '.' || c == 'D' || c == 'd') && !inFraction) {
        inFraction = true;
        items.add(new Item(Kind.POINT, false, null));
      } else if (c == ',' || c == 'G' || c == 'g') {
        items.add(new Item(Kind.GROUP, inFraction, null));
      } else if (c == 'S' || c == 's') {
        items.add(new Item(Kind.SIGN, inFraction, null));
      } else if (c == '"') {
        int end = format.indexOf('"', i + 1);
        end = end < 0 ? format.length() : end;
        items.add(new Item(Kind.TEXT, inFraction, format.substring(i + 1, end)));
        i = end;
      } else {
        items.add(new Item(Kind.TEXT, inFraction, String.valueOf(c)));
      }
    }
    int intPositions = 0;
    int fracPositions = 0;
    int firstZero = -1;
    boolean hasPoint = false;
    boolean explicitSign = false;
    for (Item it : items) {
      switch (it.kind()) {
        case NINE, ZERO -> {
          if (it.fraction()) {
            fracPositions++;
          } else {
            if (it.kind() == Kind.ZERO && firstZero < 0) {
              firstZero = intPositions;
            }
            intPositions++;
          }
        }
        case POINT -> hasPoint = true;
        case SIGN, MINUS -> explicitSign = true;
        default -> { }
      }
    }
    BigDecimal v = value.setScale(fracPositions, RoundingMode.HALF_UP);
    boolean negative = v.signum() < 0;
    String intDigits = v.abs().toBigInteger().toString();
    if (intDigits.equals("0")) {
      intDigits = hasPoint ? "" : "0";
    }
    boolean overflow = intDigits.length() > intPositions;
    String fracDigits = fracPositions == 0 ? "" : v.abs().toPlainString().substring(v.abs().toPlainString().indexOf('.') + 1);
    int keepFraction = fracPositions;
    if (fm) {
      int f = fracPositions;
      List<Item> fracItems = items.stream().filter(it -> it.fraction() && (it.kind() == Kind.NINE
          || it.kind() == Kind.ZERO)).toList();
      while (f > 0 && fracItems.get(f - 1).kind() == Kind.NINE && fracDigits.charAt(f - 1) == '0') {
        f--;
      }
      keepFraction = f;
    }
    List<Out> out = new ArrayList<>();
    int intIndex = 0;
    int fracIndex = 0;
    boolean printed = false; // a digit of the integer part has been printed
    int signAt = -1;
    for (Item it : items) {
      switch (it.kind()) {
        case NINE, ZERO -> {
          if (it.fraction()) {
            if (fracIndex < keepFraction) {
              out.add(new Out(overflow ? '#' : fracDigits.charAt(fracIndex), true));
            }
            fracIndex++;
          } else {
            int lead = intPositions - intDigits.length(); // positions before the number's first digit
            char d;
            if (overflow) {
              d = '#';
            } else if (intIndex >= lead) {
              d = intDigits.charAt(intIndex - lead);
            } else {
              d = firstZero >= 0 && intIndex >= firstZero ? '0' : ' ';
            }
            printed |= d != ' ';
            out.add(new Out(d, true));
            intIndex++;
          }
        }
        case POINT -> out.add(new Out('.', true));
        case GROUP -> out.add(new Out(printed || it.fraction() ? ',' : ' ', true));
        case SIGN -> {
          signAt = out.size();
          out.add(new Out(negative ? '-' : '+', false));
        }
        case MINUS -> out.add(new Out(negative ? '-' : ' ', false));
        case TEXT -> {
          for (char c : it.text().toCharArray()) {
            out.add(new Out(c, false));
          }
        }
      }
    }
    // the sign (implicit, or an S written before the digits) floats to just before the first digit
    Character sign = null;
    if (!explicitSign) {
      if (negative) {
        sign = '-';
      } else if (!fm) {
        sign = ' ';
      }
    } else if (signAt >= 0 && signAt < out.size() - 1 && out.subList(signAt + 1, out.size()).stream()
        .anyMatch(Out::number)) {
      sign = out.remove(signAt).c();
    }
    int first = -1;
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).number() && out.get(i).c() != ' ') {
        first = i;
        break;
      }
    }
    if (sign != null) {
      out.add(first < 0 ? out.size() : first, new Out(sign, false));
    }
    StringBuilder sb = new StringBuilder();
    for (Out o : out) {
      if (!(fm && o.number() && o.c() == ' ')) {
        sb.append(o.c());
      }
    }
    return sb.toString();
  }
}
