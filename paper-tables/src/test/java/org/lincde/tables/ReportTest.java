package org.lincde.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.harness.reproduce.Artifact;
import org.lincde.harness.reproduce.Profile;
import org.lincde.harness.reproduce.Reproducer;
import org.lincde.harness.reproduce.Shard;
import org.lincde.harness.results.ResultsStore;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.train.EvaluationPoint;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.DType;
import org.lincde.spi.StructureRegistry;
import org.lincde.tables.artifacts.SliceA5;
import org.lincde.tables.artifacts.SliceRegularLanguages;

/** The report from synthetic records: tables, verdicts, and an index.html whose every figure loads. */
class ReportTest {

    private static void fill(ResultsStore store, List<RunPlan> grid, double accuracy, double minDepth) {
        for (RunPlan p : grid) {
            store.put(new RunRecord(p.key(), p.artifact(), p.cell(), p.config(), "completed",
                    List.of(new EvaluationPoint(0, accuracy, Double.NaN)),
                    Map.of("best_accuracy", accuracy, "final_accuracy", accuracy, "min_depth", minDepth,
                            "accuracy_depth_1", accuracy), 1, 0.1, 10, 1, Map.of()));
        }
    }

    @Test
    void aPartialProfileChartsTheCellsItRanBesideTheirPublishedValues(@TempDir Path dir) throws Exception {
        ResultsStore store = new ResultsStore(dir.resolve("results"));
        Artifact regular = new SliceRegularLanguages();
        List<RunPlan> grid = regular.grid(Profile.QUICK, "fake", DType.FLOAT64);
        fill(store, grid, 0.9, 1);
        List<Path> files = regular.render(Profile.QUICK, grid, p -> store.get(p.artifact(), p.key()), dir);
        Path cells = dir.resolve("regular_languages_cells.png");
        assertThat(files).contains(cells);
        BufferedImage decoded = ImageIO.read(cells.toFile());
        assertThat(decoded.getWidth()).isGreaterThan(400);
        assertThat(Files.readString(dir.resolve("regular_languages.md")))
                .contains("![measured cells](regular_languages_cells.png)")
                .contains("No model ran all four tasks");

        // the smoke grid runs every model on every task: averages exist, so no cell figure
        Path full = dir.resolve("full");
        Files.createDirectories(full);
        List<RunPlan> smoke = regular.grid(Profile.SMOKE, "fake", DType.FLOAT64);
        fill(store, smoke, 0.9, 1);
        assertThat(regular.render(Profile.SMOKE, smoke, p -> store.get(p.artifact(), p.key()), full))
                .noneMatch(f -> f.getFileName().toString().startsWith("regular_languages_cells"));
    }

    @Test
    void reportCountsVerdictsAndItsHtmlShowsEveryFigure(@TempDir Path dir) throws Exception {
        ResultsStore store = new ResultsStore(dir.resolve("results"));
        Artifact regular = new SliceRegularLanguages();
        Artifact a5 = new SliceA5();
        // every cell at exactly the published LSTM value 100 %: LSTM's four cells are within ± 2 std
        fill(store, regular.grid(Profile.SMOKE, "fake", DType.FLOAT64), 1.0, 1);
        List<RunPlan> a5Grid = a5.grid(Profile.SMOKE, "fake", DType.FLOAT64);
        fill(store, a5Grid, 0.95, 1);
        try (RunContext ctx = new RunContext(new BackendRegistry(List.of()), new StructureRegistry(List.of()), null,
                RunContext.ProgressFactory.NONE, new PrintWriter(new StringWriter()), 0)) {
            new Reproducer(store, ctx).reproduce(List.of(regular, a5), Profile.SMOKE, "fake", DType.FLOAT64,
                    Shard.ALL, dir.resolve("out"), true);
        }
        Path out = dir.resolve("out/smoke");
        String index = Files.readString(out.resolve("index.md"));
        // regular languages: 8 models × 4 tasks; at 100 % exactly the cells whose published band reaches 100
        // (LSTM ×4 = 100±0 or 99.9±0.1, D/DPLR/Mamba even pairs, BD4 cycle nav, D/DPLR/WH/BD4 parity-even bands…)
        assertThat(index).contains("**Summary:").contains("`slice-regular-languages`").contains("`slice-a5`");
        // A5: every model solved at depth 1 → the claim holds for the expressive ones (BD8, LSTM), not for D
        assertThat(a5.verdicts(Profile.SMOKE, a5Grid, p -> store.get(p.artifact(), p.key())))
                .isEqualTo(new org.lincde.harness.reproduce.Verdicts(0, 2, 1, 0));
        String html = Files.readString(out.resolve("index.html"));
        Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        List<String> images = new ArrayList<>();
        while (m.find()) {
            images.add(m.group(1));
        }
        assertThat(images).contains("slice-regular-languages/formal_language_average_accuracy.png",
                "slice-a5/slice_a5_min_layers.png");
        for (String src : images) {
            Path img = out.resolve(src);
            assertThat(img).as(src).isRegularFile();
            BufferedImage decoded = ImageIO.read(img.toFile());
            assertThat(decoded).as(src + " decodes").isNotNull();
            assertThat(decoded.getWidth()).isGreaterThan(400);
        }
        for (String ext : List.of(".svg", ".pdf")) {
            assertThat(out.resolve("slice-regular-languages/formal_language_average_accuracy" + ext)).isNotEmptyFile();
        }
        assertThat(Files.readString(out.resolve("slice-regular-languages/regular_languages.csv")))
                .startsWith("Model,Cycle Nav.,Even Pairs");
        assertThat(Files.readString(out.resolve("slice-regular-languages/regular_languages.tex")))
                .contains("\\toprule").contains("$\\pm$");

        // and a real headless browser renders the page, where one is installed
        Path chromium = Path.of("/usr/bin/chromium");
        Assumptions.assumeTrue(Files.isExecutable(chromium), "chromium is not installed");
        Path shot = dir.resolve("shot.png");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + dir.resolve("chrome-profile"), "--window-size=1200,3000",
                "--screenshot=" + shot, out.resolve("index.html").toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chrome.log").toFile()).start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        BufferedImage screenshot = ImageIO.read(shot.toFile());
        assertThat(screenshot.getHeight()).isEqualTo(3000);
        // the bar chart's orange "published" bars (#FFC845-ish) are on screen: images were loaded
        int orange = 0;
        for (int y = 0; y < screenshot.getHeight(); y += 2) {
            for (int x = 0; x < screenshot.getWidth(); x += 2) {
                int rgb = screenshot.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (r > 230 && g > 170 && g < 220 && b < 110) {
                    orange++;
                }
            }
        }
        assertThat(orange).as("pixels of the published bars").isGreaterThan(500);
    }
}
