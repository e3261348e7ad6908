package org.lincde.harness.data.uea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UeaReadersTest {
    @TempDir
    Path tmp;

    @Test
    void basicMotionsTsFiles() throws IOException {
        Path dir = ShippedUeaData.dataset("BasicMotions");
        UeaSeriesSet train = UeaTsReader.read(dir.resolve("BasicMotions_TRAIN.ts"));
        UeaSeriesSet test = UeaTsReader.read(dir.resolve("BasicMotions_TEST.ts"));
        for (UeaSeriesSet s : List.of(train, test)) {
            assertThat(s.size()).isEqualTo(40);
            assertThat(s.channels()).isEqualTo(6);
            assertThat(s.minLength()).isEqualTo(100);
            assertThat(s.maxLength()).isEqualTo(100);
            assertThat(new TreeSet<>(Arrays.asList(s.labels()))).containsExactly("Badminton", "Running", "Standing",
                    "Walking");
        }
        // read off the file: the first case of the test file starts "-0.740653,-0.740653,10.208449",
        // its last case ends "…,-1.77647:Badminton"
        assertThat(test.series()[0][0][0]).isEqualTo(-0.740653);
        assertThat(test.series()[0][1][0]).isEqualTo(-0.740653);
        assertThat(test.series()[0][2][0]).isEqualTo(10.208449);
        assertThat(test.series()[39][99][5]).isEqualTo(-1.77647);
        assertThat(test.labels()[39]).isEqualTo("Badminton");
        assertThat(test.lines()[0]).isEqualTo(14);
    }

    @Test
    void japaneseVowelsTsFilesHaveVariableLengths() throws IOException {
        Path dir = ShippedUeaData.dataset("JapaneseVowels");
        UeaSeriesSet train = UeaTsReader.read(dir.resolve("JapaneseVowels_TRAIN.ts"));
        UeaSeriesSet test = UeaTsReader.read(dir.resolve("JapaneseVowels_TEST.ts"));
        assertThat(train.size()).isEqualTo(270);
        assertThat(test.size()).isEqualTo(370);
        assertThat(train.channels()).isEqualTo(12);
        assertThat(Math.min(train.minLength(), test.minLength())).isEqualTo(7);
        assertThat(Math.max(train.maxLength(), test.maxLength())).isEqualTo(29);
        assertThat(new TreeSet<>(Arrays.asList(train.labels()))).hasSize(9);
        // the file's first case: channel 0 starts 1.860936, channel 1 starts -0.207383, 20 steps
        assertThat(train.series()[0][0][0]).isEqualTo(1.860936);
        assertThat(train.series()[0][0][1]).isEqualTo(-0.207383);
        assertThat(train.length(0)).isEqualTo(20);
        assertThat(train.lines()[0]).isEqualTo(16);
    }

    @Test
    void handWrittenArffFixture() throws IOException {
        Path f = write("Tiny_TRAIN.arff", """
                % a comment
                @relation Tiny
                @attribute relationalAtt relational
                  @attribute t1 numeric
                  @attribute t2 numeric
                  @attribute t3 numeric
                @end relationalAtt
                @attribute activity {up,'down'}

                @data
                '1.5,2,3\\n-1,0.25,1e-3',up
                "4,5,?\\n6,7,?",'down'
                """);
        UeaSeriesSet s = UeaArffReader.read(f);
        assertThat(s.size()).isEqualTo(2);
        assertThat(s.channels()).isEqualTo(2);
        assertThat(s.series()[0]).isDeepEqualTo(new double[][] {{1.5, -1}, {2, 0.25}, {3, 1e-3}});
        assertThat(s.series()[1]).isDeepEqualTo(new double[][] {{4, 6}, {5, 7}}); // trailing '?' is padding
        assertThat(s.labels()).containsExactly("up", "down");
        assertThat(s.lines()).containsExactly(11, 12);
        assertThat(UeaFiles.read(f).series()[1]).isDeepEqualTo(s.series()[1]);
    }

    @Test
    void arffConvertedFromTsReadsTheSameNumbers() throws IOException {
        for (String name : List.of("BasicMotions", "JapaneseVowels")) {
            for (String split : List.of("TRAIN", "TEST")) {
                Path ts = ShippedUeaData.dataset(name).resolve(name + "_" + split + ".ts");
                Path arff = tmp.resolve(name + "_" + split + ".arff");
                convertTextually(ts, arff);
                UeaSeriesSet a = UeaTsReader.read(ts);
                UeaSeriesSet b = UeaArffReader.read(arff);
                assertThat(b.size()).isEqualTo(a.size());
                assertThat(b.channels()).isEqualTo(a.channels());
                assertThat(b.labels()).containsExactly(a.labels());
                for (int i = 0; i < a.size(); i++) {
                    assertThat(b.series()[i]).as("%s %s case %d", name, split, i).isDeepEqualTo(a.series()[i]);
                }
            }
        }
    }

    /**
     * Rewrites a .ts file as the archive's relational ARFF by moving the original number strings
     * (no parsing), padding shorter cases with '?' to the longest one as the 2018 archive does.
     */
    private static void convertTextually(Path ts, Path arff) throws IOException {
        List<String> lines = Files.readAllLines(ts, StandardCharsets.UTF_8);
        List<String[]> cases = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        String classLine = null;
        boolean data = false;
        int max = 0;
        for (String line : lines) {
            String l = line.strip();
            if (l.toLowerCase().startsWith("@classlabel")) {
                String[] parts = l.split("\\s+");
                classLine = String.join(",", Arrays.copyOfRange(parts, 2, parts.length));
            } else if (l.equalsIgnoreCase("@data")) {
                data = true;
            } else if (data && !l.isEmpty()) {
                String[] fields = l.split(":");
                labels.add(fields[fields.length - 1]);
                String[] dims = Arrays.copyOf(fields, fields.length - 1);
                cases.add(dims);
                max = Math.max(max, dims[0].split(",").length);
            }
        }
        StringBuilder sb = new StringBuilder("@relation converted\n@attribute relationalAtt relational\n");
        for (int t = 0; t < max; t++) {
            sb.append("  @attribute t").append(t).append(" numeric\n");
        }
        sb.append("@end relationalAtt\n@attribute target {").append(classLine).append("}\n@data\n");
        for (int i = 0; i < cases.size(); i++) {
            String[] dims = cases.get(i);
            sb.append('\'');
            for (int c = 0; c < dims.length; c++) {
                if (c > 0) {
                    sb.append("\\n");
                }
                sb.append(dims[c]);
                int n = dims[c].split(",").length;
                sb.append(",?".repeat(max - n));
            }
            sb.append("',").append(labels.get(i)).append('\n');
        }
        Files.writeString(arff, sb.toString(), StandardCharsets.UTF_8);
    }

    @Test
    void tsErrorsNameFileAndLine() throws IOException {
        String header = "@problemName X\n@dimensions 2\n@classLabel true a b\n@data\n";
        Path bad = write("bad_number.ts", header + "1,2:3,4:a\n1,x:3,4:b\n");
        assertThatThrownBy(() -> UeaTsReader.read(bad)).isInstanceOf(UeaFormatException.class)
                .hasMessageContaining("bad_number.ts:6").hasMessageContaining("'x' is not a number");
        Path label = write("bad_label.ts", header + "1,2:3,4:c\n");
        assertThatThrownBy(() -> UeaTsReader.read(label)).hasMessageContaining("bad_label.ts:5")
                .hasMessageContaining("'c'");
        Path dims = write("bad_dims.ts", header + "1,2:a\n");
        assertThatThrownBy(() -> UeaTsReader.read(dims)).hasMessageContaining("bad_dims.ts:5")
                .hasMessageContaining("1 channels, expected 2");
        Path unequal = write("unequal.ts", header + "1,2,3:3,4:a\n");
        assertThatThrownBy(() -> UeaTsReader.read(unequal)).hasMessageContaining("unequal.ts:5")
                .hasMessageContaining("unequal lengths");
        Path stamps = write("stamps.ts", "@timeStamps true\n" + header);
        assertThatThrownBy(() -> UeaTsReader.read(stamps)).hasMessageContaining("stamps.ts:1");
        Path empty = write("empty.ts", header);
        assertThatThrownBy(() -> UeaTsReader.read(empty)).hasMessageContaining("no cases");
    }

    @Test
    void arffErrorsNameFileAndLine() throws IOException {
        String header = "@relation r\n@attribute s relational\n@attribute t0 numeric\n@end s\n@attribute c {a,b}\n@data\n";
        Path label = write("bad_label.arff", header + "'1,2\\n3,4',z\n");
        assertThatThrownBy(() -> UeaArffReader.read(label)).isInstanceOf(UeaFormatException.class)
                .hasMessageContaining("bad_label.arff:7").hasMessageContaining("'z'");
        Path quote = write("bad_quote.arff", header + "'1,2\\n3,4,a\n");
        assertThatThrownBy(() -> UeaArffReader.read(quote)).hasMessageContaining("bad_quote.arff:7")
                .hasMessageContaining("unterminated");
        Path channels = write("bad_channels.arff", header + "'1,2\\n3,4',a\n'1,2',b\n");
        assertThatThrownBy(() -> UeaArffReader.read(channels)).hasMessageContaining("bad_channels.arff:8");
        Path univariate = write("uni.arff", "@relation r\n@attribute t0 numeric\n@attribute c {a}\n@data\n1,a\n");
        assertThatThrownBy(() -> UeaArffReader.read(univariate)).hasMessageContaining("uni.arff:2");
        assertThatThrownBy(() -> UeaFiles.read(tmp.resolve("x.csv"))).hasMessageContaining("x.csv");
        assertThatThrownBy(() -> UeaFiles.locate(tmp, "Nope", "TRAIN")).hasMessageContaining("Nope_TRAIN.arff")
                .hasMessageContaining("Nope_TRAIN.ts");
    }

    private Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }
}
