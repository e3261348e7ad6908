package org.lincde.tables.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Saves XChart charts as PNG, SVG and PDF (the papers' figures are PDFs; PNGs go into the Markdown
 * report). Every file is written to a temporary name and renamed, so a report never shows half a
 * picture.
 */
public final class Figures {
    private Figures() {}

    /** Writes {@code <base>.png}, {@code .svg} and {@code .pdf}; returns them (PNG first). */
    public static List<Path> save(Chart<?, ?> chart, Path dir, String base) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        Path tmp = Files.createTempDirectory(dir, ".fig-");
        try {
            BitmapEncoder.saveBitmapWithDPI(chart, tmp.resolve(base).toString(), BitmapEncoder.BitmapFormat.PNG, 144);
            VectorGraphicsEncoder.saveVectorGraphic(chart, tmp.resolve(base).toString(),
                    VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            VectorGraphicsEncoder.saveVectorGraphic(chart, tmp.resolve(base).toString(),
                    VectorGraphicsEncoder.VectorGraphicsFormat.PDF);
            for (String ext : List.of(".png", ".svg", ".pdf")) {
                Path target = dir.resolve(base + ext);
                Files.move(tmp.resolve(base + ext), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                out.add(target);
            }
        } finally {
            try (var s = Files.list(tmp)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(tmp);
        }
        return out;
    }
}
