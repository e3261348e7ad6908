package org.lincde.harness.reproduce;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.lincde.harness.io.AtomicFiles;
import org.lincde.harness.results.Provenance;

/**
 * The reproduction report of one profile: {@code index.md} (summary count of verdicts at the top, one
 * row per artifact linking its page) and a static {@code index.html} that embeds every artifact page
 * with its figures inline, readable offline in any browser.
 */
public final class Report {
    private static final List<org.commonmark.Extension> EXTENSIONS = List.of(TablesExtension.create());

    private Report() {}

    /** One artifact's line of the report. */
    public record Entry(Artifact artifact, int runsDone, int runsPlanned, Verdicts verdicts, Path page,
                        String agreement, int runsStale, String conflicts) {
        /** An entry with no stale records and no disagreeing records. */
        public Entry(Artifact artifact, int runsDone, int runsPlanned, Verdicts verdicts, Path page, String agreement) {
            this(artifact, runsDone, runsPlanned, verdicts, page, agreement, 0, null);
        }
    }

    /** Writes {@code index.md} and {@code index.html} into {@code out}; returns them. */
    public static List<Path> write(Path out, Profile profile, List<String> backends, List<Entry> entries,
                                   Duration wall) throws IOException {
        return write(out, profile, backends, entries, wall, Map.of());
    }

    /**
     * As {@link #write(Path, Profile, List, List, Duration)}, naming the records moved aside as unreadable
     * ({@code quarantined}: artifact id → file → why), whose runs are planned again.
     */
    public static List<Path> write(Path out, Profile profile, List<String> backends, List<Entry> entries,
                                   Duration wall, Map<String, Map<Path, String>> quarantined) throws IOException {
        Verdicts total = Verdicts.NONE;
        for (Entry e : entries) {
            total = total.plus(e.verdicts());
        }
        Map<String, String> prov = Provenance.collect(Map.of());
        StringBuilder md = new StringBuilder();
        md.append("# lincde reproduction — profile `").append(profile.label()).append("`\n\n");
        md.append("**Summary: ").append(total.text()).append(".**\n\n");
        md.append("Backends: ").append(String.join(", ", backends)).append("; lincde commit `")
                .append(prov.get("git.commit")).append("`; ").append(prov.get("java.vm")).append(" on ")
                .append(prov.get("os")).append(" ").append(prov.get("arch")).append(", ").append(prov.get("cores"))
                .append(" cores. Wall time of this invocation: ").append(wall.toSeconds()).append(" s.\n\n");
        md.append("| artifact | title | runs done | within ± 2 std | claims hold | differ | pending | page |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---|\n");
        for (Entry e : entries) {
            String page = e.page() == null ? "" : out.relativize(e.page()).toString();
            Verdicts v = e.verdicts();
            md.append("| `").append(e.artifact().id()).append("` | ").append(e.artifact().title()).append(" | ")
                    .append(e.runsDone()).append(" / ").append(e.runsPlanned())
                    .append(e.runsStale() > 0 ? " (" + e.runsStale() + " stale)" : "").append(" | ").append(v.within())
                    .append(" | ").append(v.claimHolds()).append(" | ").append(v.differs()).append(" | ")
                    .append(v.pending()).append(" | ").append(page.isEmpty() ? "—" : "[" + page + "](" + page + ")")
                    .append(" |\n");
        }
        md.append("\nVerdicts: *within* — the reproduced mean lies within the published mean ± 2 std; *claim holds* — ")
                .append("the paper's qualitative statement holds for the cell; *differ* — neither. Profiles other than ")
                .append("`paper` train far less than the papers, so their cells are expected to differ in value.\n");
        int stale = entries.stream().mapToInt(Entry::runsStale).sum();
        if (stale > 0) {
            md.append("\n**").append(stale).append(" record(s) are stale**: made by an older version of a model or ")
                    .append("protocol whose numbers have changed since (each run's key holds the versions of the code ")
                    .append("it used). They are shown as they are; `lincde reproduce --rerun-stale` redoes them.\n");
        }
        if (!quarantined.isEmpty()) {
            md.append("\n## Records moved aside\n\nThese run records could not be read back and were moved into a "
                    + "`quarantine/` folder; their runs count as pending and run again with `lincde reproduce`. "
                    + "Delete them once you have looked at them.\n\n| artifact | record | why |\n|---|---|---|\n");
            quarantined.forEach((a, files) -> files.forEach((f, why) -> md.append("| `").append(a).append("` | `")
                    .append(f).append("` | ").append(why.replace("|", "\\|").replace("\n", " ")).append(" |\n")));
        }
        for (Entry e : entries) {
            if (e.conflicts() != null) {
                md.append("\n## Records that disagree: `").append(e.artifact().id()).append("`\n\n")
                        .append(e.conflicts());
            }
        }
        for (Entry e : entries) {
            if (e.agreement() != null) {
                md.append("\n## Cross-backend agreement: `").append(e.artifact().id()).append("`\n\n")
                        .append(e.agreement());
            }
        }
        Path index = out.resolve("index.md");
        AtomicFiles.writeString(index, md.toString());

        Parser parser = Parser.builder().extensions(EXTENSIONS).build();
        HtmlRenderer html = HtmlRenderer.builder().extensions(EXTENSIONS).build();
        StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>lincde reproduction — ").append(profile.label()).append("</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;")
                .append("line-height:1.45}table{border-collapse:collapse;margin:1em 0;font-size:.92em}")
                .append("th,td{border:1px solid #ccc;padding:.3em .6em}th{background:#f2f2f2}")
                .append("img{max-width:100%;border:1px solid #ddd}section{margin-top:3em;border-top:2px solid #888}")
                .append("code{background:#f6f6f6;padding:0 .2em}</style></head>\n<body>\n");
        page.append(html.render(parser.parse(md.toString().replaceAll("\\]\\(([a-z0-9-]+)/([^)]+)\\.md\\)",
                "](#$1)"))));
        for (Entry e : entries) {
            if (e.page() == null || !Files.isRegularFile(e.page())) {
                continue;
            }
            String dir = out.relativize(e.page().getParent()).toString().replace('\\', '/');
            String body = Files.readString(e.page())
                    // figures and linked files live beside the artifact page: make links relative to index.html
                    .replaceAll("\\]\\((?!https?:|#|/)([^)]+)\\)", "](" + dir + "/$1)");
            page.append("<section id=\"").append(e.artifact().id()).append("\">\n")
                    .append(html.render(parser.parse(body))).append("</section>\n");
        }
        page.append("</body></html>\n");
        Path htmlFile = out.resolve("index.html");
        AtomicFiles.writeString(htmlFile, page.toString());
        return List.of(index, htmlFile);
    }
}
