package org.virtiotck.reports.html;

/** HTML escaping. Every piece of report data goes through {@link #esc} before it reaches the page. */
final class Html {

    private Html() {
    }

    /** Escapes text for element content and for attribute values in either kind of quotes. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        var b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                case '\t', '\n', '\r' -> b.appendCodePoint(c);
                default -> {
                    if (c < 0x20 || c == 0x7F || (c >= 0xD800 && c <= 0xDFFF)) {
                        b.append('\uFFFD');
                    } else {
                        b.appendCodePoint(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
