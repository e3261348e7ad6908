package org.lincde.tables;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lincde.harness.data.uea.UeaFiles;
import org.lincde.harness.io.Safetensors;

/**
 * Inputs the fuzz tests ({@code ReaderFuzzTest} in lincde-protocols) found crashing a reader, kept in the hostile-input
 * table once fixed so they stay fixed. Each was a raw exception (not one line naming the file) before its fix.
 */
final class FuzzFindings {
    private FuzzFindings() {}

    static List<HostileInputTest.Case> cases(Path dir) throws IOException {
        List<HostileInputTest.Case> out = new ArrayList<>();
        // .ts: a case line with an empty class label after the last ':' and no channel values
        Path ts = Files.writeString(dir.resolve("F1_TRAIN.ts"), "@classLabel true a\n@data\n:a\n",
                StandardCharsets.UTF_8);
        out.add(HostileInputTest.Case.read(".ts reader (fuzz): empty channel", List.of("F1_TRAIN.ts"),
                () -> UeaFiles.read(ts)));
        // safetensors: a header whose data_offsets hold text instead of numbers
        Path st = dir.resolve("F2.safetensors");
        byte[] h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[\"0\",\"4\"]}}".getBytes(
                StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).putFloat(1f);
        Files.write(st, b.array());
        out.add(HostileInputTest.Case.read("safetensors reader (fuzz): offsets as text", List.of("F2.safetensors"),
                () -> Safetensors.read(st)));
        return out;
    }
}
