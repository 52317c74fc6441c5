package org.convinit.lab.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The study's report: one self-contained HTML file (docs/study-json.md's {@code convinit-study/1} in, a page
 * out). Charts are Apache ECharts 5.3.1 (SVG renderer), its script and license notice inlined from the npm
 * WebJar on the classpath, the chart data embedded as JSON: the file opens offline and fetches nothing.
 *
 * <pre>{@code
 * StudyReport.write(study, Path.of("convinit-study.html"));
 * }</pre>
 */
public final class StudyReport {
    static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private StudyReport() {}

    /**
     * The report of a study document as one HTML page.
     *
     * @throws IllegalArgumentException if {@code study} is not a {@code convinit-study/1} document
     */
    public static String render(ObjectNode study) {
        StudyView view = new StudyView(study);
        ObjectNode data = ChartData.of(view);
        String json;
        try {
            json = JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("chart data did not serialize", e);
        }
        return fill(resource("org/convinit/lab/report/page.html"), Map.of(
                "title", Html.esc(PageBody.title(view)),
                "style", resource("org/convinit/lab/report/report.css"),
                "body", PageBody.html(view, data),
                "data", Html.scriptJson(json),
                "echarts_notice", resource(ECHARTS + "NOTICE").strip().replace("*/", "* /"),
                "echarts", scriptSafe(resource(ECHARTS + "dist/echarts.min.js")),
                "script", scriptSafe(resource("org/convinit/lab/report/report.js"))));
    }

    /**
     * Writes the report to {@code html} atomically: the page goes to a temporary file beside it, then is
     * moved over {@code html}, so a reader never sees a half-written report and a failure leaves nothing
     * behind under that name.
     */
    public static void write(ObjectNode study, Path html) throws IOException {
        String page = render(study);
        Path target = html.toAbsolutePath();
        Path dir = target.getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Long.toHexString(System.nanoTime()) + ".tmp");
        try {
            Files.writeString(tmp, page, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Replaces each {@code {{name}}} in one pass; inserted text is not scanned again. */
    static String fill(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder(template.length() + 1_200_000);
        int at = 0;
        while (true) {
            int open = template.indexOf("{{", at);
            if (open < 0) break;
            int close = template.indexOf("}}", open);
            String key = template.substring(open + 2, close);
            String value = values.get(key);
            if (value == null) throw new IllegalStateException("page template: no value for {{" + key + "}}");
            out.append(template, at, open).append(value);
            at = close + 2;
        }
        return out.append(template, at, template.length()).toString();
    }

    /** A script's text made safe inside {@code <script>}: no {@code </script} can close the element early. */
    static String scriptSafe(String js) {
        return js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT");
    }

    static String resource(String name) {
        try (InputStream in = StudyReport.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing on the classpath: " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + name, e);
        }
    }
}
