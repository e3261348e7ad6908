package org.lincde.harness.data.a5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lincde.harness.data.DataFileException;
import org.lincde.spi.Rng;

class A5CsvTest {
    @TempDir
    Path dir;

    @Test
    void writesTheOriginalFormat() throws IOException {
        Path file = dir.resolve("A5=2.csv");
        A5Csv.write(file, A5Dataset.allSequences(2), 123456);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3601);
        assertThat(lines.get(0)).isEqualTo("seed,input,target");
        assertThat(lines.get(1)).isEqualTo("123456,0 0,0 0");
        assertThat(lines.get(62)).isEqualTo("123456,1 1,1 2"); // row 61: 12453 squared is 12534 (id 2)
        // SPEC §3.1: R1's A5=2.csv and A5=3.csv are 66 018 and 5 184 018 bytes (rows carry a
        // six-digit seed); the same layout must give the same sizes
        assertThat(Files.size(file)).isEqualTo(66_018L);
        Path three = dir.resolve("A5=3.csv");
        A5Csv.write(three, A5Dataset.allSequences(3), 123456);
        assertThat(Files.size(three)).isEqualTo(5_184_018L);
    }

    @Test
    void roundTripsGeneratedData() {
        Path file = dir.resolve("A5=6.csv");
        A5Dataset data = A5Dataset.distinctRandomSequences(6, 500, Rng.seeded(11));
        A5Csv.write(file, data, 11);
        A5Dataset back = A5Csv.read(file);
        assertThat(back.size()).isEqualTo(500);
        assertThat(back.inputLength()).isEqualTo(6);
        for (int r = 0; r < 500; r++) {
            assertThat(back.input(r)).isEqualTo(data.input(r));
            assertThat(back.target(r)).isEqualTo(data.target(r));
        }
        assertThat(back.countTargetsNotPrefixProducts()).isZero();
    }

    @Test
    void readsAHandWrittenFileWithBlankLinesAndCarriageReturns() throws IOException {
        Path file = write("h.csv", "seed,input,target\r\n3,1 1 1,1 2 0\r\n\r\n4,\"0 3 1\",\"0 3 x\"\n");
        assertThatThrownBy(() -> A5Csv.read(file)).isInstanceOf(DataFileException.class)
                .hasMessage(file + ":4: 'x' in column 'target' is not an integer");
        Path good = write("g.csv", "seed,input,target\r\n3,1 1 1,1 2 0\r\n\r\n4,\"0 3 1\",\"0 3 4\"\n");
        A5Dataset d = A5Csv.read(good);
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.input(0)).containsExactly(1, 1, 1);
        assertThat(d.target(0)).containsExactly(1, 2, 0);
        assertThat(d.input(1)).containsExactly(0, 3, 1);
        assertThat(d.target(1)).containsExactly(0, 3, 4);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "bad header        | seed;input;target#1,1 2,1 2               | 1 | header is 'seed;input;target'",
        "too few columns   | seed,input,target#1,1 2                   | 2 | expected 3 columns (seed,input,target), found 2",
        "too many columns  | seed,input,target#1,1 2,1 2,3             | 2 | expected 3 columns (seed,input,target), found 4",
        "non-integer seed  | seed,input,target#1,1 2,1 3#x,1 2,1 3     | 3 | seed 'x' is not an integer",
        "non-integer id    | seed,input,target#1,1 two,1 2             | 2 | 'two' in column 'input' is not an integer",
        "fractional id     | seed,input,target#1,1 2.0,1 2             | 2 | '2.0' in column 'input' is not an integer",
        "id too large      | seed,input,target#1,1 60,1 2              | 2 | id 60 in column 'input' is outside 0..59",
        "negative id       | seed,input,target#1,1 2,-1 2              | 2 | id -1 in column 'target' is outside 0..59",
        "length mismatch   | seed,input,target#1,1 2 3,1 2             | 2 | input has 3 ids but target has 2",
        "later mismatch    | seed,input,target#1,1 2,1 2#1,1 2,1 2 3   | 3 | input has 2 ids but target has 3",
        "inconsistent N    | seed,input,target#1,1 2,1 2#1,1 2 3,1 2 3 | 3 | input has 3 ids but the first row has 2",
        "empty column      | seed,input,target#1,,1 2                  | 2 | column 'input' is empty",
    })
    void reportsEachProblemWithFileAndLine(String what, String content, int line, String message) throws IOException {
        Path file = write("bad.csv", content.replace('#', '\n') + "\n");
        assertThatThrownBy(() -> A5Csv.read(file)).as(what).isInstanceOf(DataFileException.class)
                .hasMessageStartingWith(file + ":" + line + ": ").hasMessageContaining(message)
                .satisfies(e -> assertThat(((DataFileException) e).line()).isEqualTo(line));
    }

    @Test
    void emptyFilesAreReported() throws IOException {
        Path empty = write("empty.csv", "");
        assertThatThrownBy(() -> A5Csv.read(empty)).hasMessageContaining("empty file");
        Path headerOnly = write("header.csv", "seed,input,target\n");
        assertThatThrownBy(() -> A5Csv.read(headerOnly)).hasMessageContaining("no data rows");
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
