package org.lincde.harness.data.uea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The UEA data shipped with lincde: its checksums, that they are checked, and that it reads as the files do. */
class BundledUeaDataTest {
    @Test
    void sha256SumsCoverEveryShippedFileAndMatchTheFilesAndTheReadme() throws IOException {
        Map<String, String> sums = BundledUeaData.checksums();
        assertThat(sums).containsOnlyKeys("BasicMotions/BasicMotions_TRAIN.ts", "BasicMotions/BasicMotions_TEST.ts",
                "JapaneseVowels/JapaneseVowels_TRAIN.ts", "JapaneseVowels/JapaneseVowels_TEST.ts");
        // sktime's files as published (sha256sum of the copies taken from sktime commit 7bd7d16)
        assertThat(sums).containsEntry("BasicMotions/BasicMotions_TRAIN.ts",
                "8dc43cc6306cb679c888c01e26f91772ac4441a916da43bac8b79734a538b9d6");
        assertThat(sums).containsEntry("JapaneseVowels/JapaneseVowels_TEST.ts",
                "b3d41d6a0ca3bcad3afb9ca7d4365382aa51341e2e58bae2a574babdda5b9462");
        Path dir = ShippedUeaData.dir();
        String readme = Files.readString(dir.resolve("README.md"), StandardCharsets.UTF_8);
        for (Map.Entry<String, String> e : sums.entrySet()) {
            byte[] bytes = Files.readAllBytes(dir.resolve(e.getKey()));
            assertThat(BundledUeaData.sha256(bytes)).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(readme).as("README lists " + e.getKey()).contains(e.getValue() + "  " + e.getKey());
        }
        assertThat(readme).contains("BSD-3-Clause").contains("sktime").contains("7bd7d1620c0656f3210eeb850bb1c0034159ee47");
        assertThat(Files.readString(dir.resolve("LICENSE"), StandardCharsets.UTF_8)).contains("BSD 3-Clause License");
    }

    @Test
    void loadsTheSameNumbersAsTheFilesOnDisk() throws IOException {
        for (String name : BundledUeaData.NAMES) {
            UeaRawDataset shipped = BundledUeaData.load(name);
            UeaRawDataset files = UeaRawDataset.load(ShippedUeaData.dataset(name), name);
            assertThat(shipped.values()).as(name).isEqualTo(files.values());
            assertThat(shipped.labels()).as(name).isEqualTo(files.labels());
            assertThat(shipped.lengths()).as(name).isEqualTo(files.lengths());
            assertThat(shipped.encoding().classes()).containsExactlyElementsOf(files.encoding().classes());
            assertThat(shipped.sources()[0]).startsWith("classpath:" + BundledUeaData.RESOURCE_DIR + name + "/");
        }
        UeaRawDataset bm = BundledUeaData.load("BasicMotions");
        assertThat(bm.size() + bm.duplicates()).isEqualTo(80);
        assertThat(bm.channels()).isEqualTo(6);
        UeaRawDataset jv = BundledUeaData.load("JapaneseVowels");
        assertThat(jv.size() + jv.duplicates()).isEqualTo(640);
        assertThat(jv.numClasses()).isEqualTo(9);
    }

    @Test
    void aChangedByteIsRefusedNamingTheFileAndBothSums() throws IOException {
        String file = BundledUeaData.file("BasicMotions", "TEST");
        byte[] bytes = Files.readAllBytes(ShippedUeaData.dir().resolve(file));
        Map<String, String> sums = BundledUeaData.checksums();
        assertThat(BundledUeaData.read(file, bytes, sums).size()).isEqualTo(40);
        // the first value of the first case, -0.740653, becomes -0.740654: still a valid file, different numbers
        String text = new String(bytes, StandardCharsets.US_ASCII);
        int at = text.indexOf("-0.740653");
        assertThat(at).isPositive();
        bytes[at + 8] = (byte) '4';
        String actual = BundledUeaData.sha256(bytes);
        assertThatThrownBy(() -> BundledUeaData.read(file, bytes, sums))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining("BasicMotions/BasicMotions_TEST.ts")
                .hasMessageContaining(sums.get(file)).hasMessageContaining(actual)
                .hasMessageContaining(BundledUeaData.SOURCE_DIR);
        assertThatThrownBy(() -> BundledUeaData.read("Other/Other_TEST.ts", bytes, sums))
                .isInstanceOf(IOException.class).hasMessageContaining("no SHA-256");
    }

    @Test
    void onlyTheShippedDatasetsAreOffered() {
        assertThat(BundledUeaData.contains("BasicMotions")).isTrue();
        assertThat(BundledUeaData.contains("EigenWorms")).isFalse();
        assertThatThrownBy(() -> BundledUeaData.load("EigenWorms")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("EigenWorms").hasMessageContaining("BasicMotions");
    }
}
