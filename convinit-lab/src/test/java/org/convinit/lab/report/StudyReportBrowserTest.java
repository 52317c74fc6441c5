package org.convinit.lab.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The report in a real browser: Debian's headless chromium loads a report of {@link StudyFixture}'s study,
 * the page must record no error (window.onerror, unhandled rejections and console.error all land in
 * {@code #page-errors}), every chart container must hold an SVG with drawn paths, and a full-page screenshot
 * is saved to {@code target/report-test/study-report.png}. Without chromium the test is skipped, unless
 * {@code -Dconvinit.requireTorch=true} (CI): then it fails.
 */
class StudyReportBrowserTest {
    /** Debian's chromium; {@code -Dconvinit.chromium=PATH} names another build. */
    static final Path CHROMIUM = Path.of(System.getProperty("convinit.chromium", "/usr/bin/chromium"));
    static final Path OUT = Path.of("target/report-test");

    @BeforeEach
    void needsChromium() {
        if (Files.isExecutable(CHROMIUM)) return;
        String msg = "no headless browser at " + CHROMIUM + " (apt-get install chromium): report not checked in a browser";
        if (Boolean.getBoolean("convinit.requireTorch")) fail(msg + "; convinit.requireTorch=true");
        assumeTrue(false, msg);
    }

    @Test
    void everyChartRendersWithoutErrorsAndTheScreenshotIsSaved(@TempDir Path tmp) throws Exception {
        checkInBrowser(StudyFixture.study(), "study-report", tmp);
    }

    /** The he2015 preset's shape: three models, nets up to 30 conv layers deep (61 rows per heatmap). */
    @Test
    void aDeepThreeModelStudyRendersToo(@TempDir Path tmp) throws Exception {
        checkInBrowser(StudyFixture.he2015(), "study-report-he2015", tmp);
    }

    static void checkInBrowser(ObjectNode study, String name, Path tmp) throws Exception {
        Files.createDirectories(OUT);
        Path html = OUT.resolve(name + ".html").toAbsolutePath();
        StudyReport.write(study, html);
        Chromium.Result dom = Chromium.dumpDom(html, tmp);

        assertThat(pageErrors(dom.stdout())).as("errors the page recorded").isEmpty();
        assertThat(dom.stderr()).as("chromium's console log").doesNotContain("Uncaught").doesNotContain(":ERROR:CONSOLE");
        List<String> charts = charts(dom.stdout());
        assertThat(charts).hasSize(StudyReportTest.count(Files.readString(html), "<div class=\"chart "));
        assertThat(dom.stdout()).contains("data-charts=\"" + charts.size() + "\"");
        for (String chart : charts) {
            String kind = attr(chart, "data-kind");
            assertThat(chart).as(kind + " chart").contains("data-rendered=\"true\"").contains("<svg");
            // a heatmap draws one rectangle per (layer, bin); line charts draw axes, lines and bands
            int least = kind.equals("hist") ? Integer.parseInt(attr(chart, "data-rows")) * 40 : 8;
            assertThat(StudyReportTest.count(chart, "<path d=\"M")).as(kind + " chart's drawn paths").isGreaterThan(least);
        }

        int height = Integer.parseInt(attr(dom.stdout(), "data-height"));
        Path png = OUT.resolve(name + ".png").toAbsolutePath();
        Chromium.screenshot(html, png, 1400, height, tmp);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1400);
        assertThat(image.getHeight()).isGreaterThan(2000);
        assertThat(distinctColours(image)).as("colours in the screenshot").isGreaterThan(50);
    }

    /** A document the study code wrote, not a fixture: {@link RealStudy}. */
    @Test
    void aStudyTheStudyCodeWroteRendersToo(@TempDir Path tmp) throws Exception {
        checkInBrowser(RealStudy.document(), "study-report-real", tmp);
    }

    /** Charts without data say so instead of failing. */
    @Test
    void aStudyWithNothingFinishedRendersEmptyChartsWithoutErrors(@TempDir Path tmp) throws Exception {
        Path html = tmp.resolve("minimal.html");
        StudyReport.write(StudyReportTest.minimalStudy(), html);
        String dom = Chromium.dumpDom(html, tmp).stdout();
        assertThat(pageErrors(dom)).isEmpty();
        assertThat(charts(dom)).hasSize(4).allSatisfy(c -> assertThat(c).contains("data-rendered=\"true\"", "<svg"));
        assertThat(dom).contains("No diagnosis recorded for this model", "No run of this model finished");
    }

    @Test
    void aBrokenPageIsCaught(@TempDir Path tmp) throws Exception {
        Path html = tmp.resolve("broken.html");
        String page = beforeBodyEnd(StudyReport.render(StudyFixture.study()),
                "<script>console.error('boom'); notAFunction();</script>");
        Files.writeString(html, page);
        Chromium.Result dom = Chromium.dumpDom(html, tmp);
        assertThat(pageErrors(dom.stdout())).contains("console.error: boom", "notAFunction is not defined");
    }

    @Test
    void theEveryLayerToggleRedrawsTheSignalCharts(@TempDir Path tmp) throws Exception {
        Path html = tmp.resolve("toggled.html");
        String page = beforeBodyEnd(StudyReport.render(StudyFixture.study()),
                "<script>document.querySelectorAll('input.all-layers').forEach(function (b) { b.click(); });</script>");
        Files.writeString(html, page);
        String dom = Chromium.dumpDom(html, tmp).stdout();
        assertThat(pageErrors(dom)).isEmpty();
        List<String> signal = charts(dom).stream().filter(c -> attr(c, "data-kind").equals("act")).toList();
        // cnn: 3 weight layers of 8; plain8: 9 of 18. Clicked, every layer is drawn.
        assertThat(signal).extracting(c -> attr(c, "data-categories")).containsExactly("8", "18");
        String untoggled = Chromium.dumpDom(writeTo(tmp.resolve("plain.html")), tmp).stdout();
        assertThat(charts(untoggled).stream().filter(c -> attr(c, "data-kind").equals("act")))
                .extracting(c -> attr(c, "data-categories")).containsExactly("3", "9");
    }

    /** The page with {@code html} inserted before its closing body tag (the ECharts bundle has one in a string). */
    private static String beforeBodyEnd(String page, String html) {
        int at = page.lastIndexOf("</body>");
        return page.substring(0, at) + html + page.substring(at);
    }

    private static Path writeTo(Path html) throws IOException {
        StudyReport.write(StudyFixture.study(), html);
        return html;
    }

    static String pageErrors(String dom) {
        Matcher m = Pattern.compile("<pre id=\"page-errors\"[^>]*>(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        if (!m.find()) throw new AssertionError("no #page-errors element in the rendered page");
        return m.group(1).strip();
    }

    /** Each chart container's markup, up to the next one (the DOM is serialized in document order). */
    static List<String> charts(String dom) {
        List<String> out = new ArrayList<>();
        String marker = "<div class=\"chart ";
        int at = dom.indexOf(marker);
        while (at >= 0) {
            int next = dom.indexOf(marker, at + 1);
            out.add(dom.substring(at, next < 0 ? dom.length() : next));
            at = next;
        }
        return out;
    }

    static String attr(String markup, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(markup);
        if (!m.find()) throw new AssertionError("no " + name + " attribute in " + markup.substring(0, Math.min(200, markup.length())));
        return m.group(1);
    }

    static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) colours.add(image.getRGB(x, y));
        }
        return colours.size();
    }

    /** Debian's chromium, headless, isolated: a fresh profile, no network services of its own. */
    static final class Chromium {
        record Result(String stdout, String stderr) {}

        static Result dumpDom(Path html, Path tmp) throws IOException, InterruptedException {
            return run(tmp, "--dump-dom", "--window-size=1400,1000", "--virtual-time-budget=20000",
                    html.toUri().toString());
        }

        static void screenshot(Path html, Path png, int width, int height, Path tmp) throws IOException, InterruptedException {
            Files.deleteIfExists(png);
            run(tmp, "--screenshot=" + png, "--window-size=" + width + "," + height, "--hide-scrollbars",
                    "--virtual-time-budget=20000", html.toUri().toString());
            assertThat(png).exists();
        }

        private static Result run(Path tmp, String... args) throws IOException, InterruptedException {
            Path profile = Files.createTempDirectory(tmp, "chromium-profile");
            List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile));
            cmd.addAll(List.of(args));
            Path out = tmp.resolve("chromium.out"), err = tmp.resolve("chromium.err");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("chromium did not finish within 180 s: " + String.join(" ", cmd));
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8), stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) fail("chromium exited with " + p.exitValue() + ": " + stderr);
            return new Result(stdout, stderr);
        }
    }
}
