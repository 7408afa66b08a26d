package dev.rolloutlab.reports.html;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** Escaping, number formats and assets shared by the pages. Everything a scenario names passes through here. */
final class Html {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";

    private Html() {
    }

    /** Text or attribute value: safe inside elements and inside double- or single-quoted attributes. */
    static String esc(Object value) {
        String s = String.valueOf(value);
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * JSON for a {@code <script type="application/json">} block. {@code <}, {@code >} and {@code &} become
     * {@code \}{@code u} escapes (equal in JSON), so no string can close the element or open a comment.
     */
    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value).replace("<", "\\u003c").replace(">", "\\u003e")
                .replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("chart data not serialisable", e);
        }
    }

    static String uplotJs() {
        return resource(UPLOT + "uPlot.iife.min.js");
    }

    static String uplotCss() {
        return resource(UPLOT + "uPlot.min.css");
    }

    /** A resource beside this class, e.g. {@code report.js}. */
    static String own(String name) {
        return resource("dev/rolloutlab/reports/html/" + name);
    }

    private static String resource(String path) {
        try (InputStream in = Html.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing on the classpath: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Seconds as people read them: {@code 180 ms}, {@code 1.51 s}, {@code 2 min 5 s}; a dash when not applicable. */
    static String seconds(Double s) {
        if (s == null) {
            return "–";
        }
        if (s == 0) {
            return "0 s";
        }
        if (s < 1) {
            return String.format(Locale.ROOT, "%.0f ms", s * 1000);
        }
        if (s < 120) {
            return String.format(Locale.ROOT, "%.2f s", s);
        }
        return String.format(Locale.ROOT, "%d min %d s", (long) (s / 60), Math.round(s % 60));
    }

    static String percent(Double share) {
        if (share == null) {
            return "–";
        }
        double p = 100 * share;
        return String.format(Locale.ROOT, p != 0 && Math.abs(p) < 0.1 ? "%.3f%%" : "%.2f%%", p);
    }

    static String number(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
    }

    /** Rounds for the inlined data: 3 decimals keeps a 1-hour timeline small and loses nothing visible. */
    static Double round(Double v) {
        return v == null ? null : Math.round(v * 1000) / 1000.0;
    }

    /** A table, header first; every cell escaped. */
    static void table(StringBuilder b, String cssClass, List<String> header, List<List<String>> rows) {
        b.append("<table class=\"").append(cssClass).append("\"><thead><tr>");
        header.forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
        b.append("</tr></thead><tbody>");
        for (List<String> row : rows) {
            b.append("<tr>");
            row.forEach(c -> b.append("<td>").append(esc(c)).append("</td>"));
            b.append("</tr>");
        }
        b.append("</tbody></table>\n");
    }
}
