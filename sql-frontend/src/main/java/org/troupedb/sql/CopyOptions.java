package org.troupedb.sql;

/**
 * The data format of a COPY statement, as PostgreSQL defines its options: {@code FORMAT text|csv},
 * {@code DELIMITER} (tab for text, comma for CSV), {@code NULL} ({@code \N} for text, the empty
 * unquoted string for CSV), {@code HEADER}, and for CSV only {@code QUOTE} and {@code ESCAPE}
 * (both {@code "} by default).
 */
public record CopyOptions(Format format, char delimiter, String nullString, boolean header, char quote,
    char escape) {

  /** The data formats COPY knows. */
  public enum Format { TEXT, CSV }

  /** PostgreSQL's defaults for {@code format}. */
  public static CopyOptions defaults(Format format) {
    return format == Format.CSV
        ? new CopyOptions(format, ',', "", false, '"', '"')
        : new CopyOptions(format, '\t', "\\N", false, '"', '"');
  }

  public boolean csv() {
    return format == Format.CSV;
  }
}
