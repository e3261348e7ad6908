package org.lincde.harness.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The reviewed list of a backend's known gaps (Keras' {@code excluded_concrete_tests.txt} lesson,
 * docs/STYLE.md K5): one checked-in file per backend, {@code conformance/known-gaps-<backend>.txt} on the
 * class path (harness/src/main/resources), printed in every report.
 *
 * <p>Format: one gap per line, {@code <pattern> | <reason>}; blank lines and lines starting with
 * {@code #} are ignored. The pattern is a glob ({@code *} any text, {@code ?} one character) over the
 * case key {@code structure/model/check/dtype}, e.g. {@code dplr*}{@code /lcde/adamw-5/float32}. A reason
 * is required. A listed case still runs: if it fails it is reported as SKIP with the reason; if it
 * passes it is a PASS whose detail says the line can go.
 */
public final class KnownGaps {
    /** One gap. */
    public record Gap(String pattern, String reason, String source) {
        boolean matches(String key) {
            return glob(pattern).matcher(key).matches();
        }
    }

    private final List<Gap> gaps;

    /** Gaps given directly (tests, embedding). */
    public KnownGaps(List<Gap> gaps) {
        this.gaps = List.copyOf(gaps);
    }

    /** No gaps. */
    public static KnownGaps none() {
        return new KnownGaps(List.of());
    }

    /** The file of backend {@code backendId} on the class path, or no gaps when there is none. */
    public static KnownGaps forBackend(String backendId) {
        String resource = "conformance/known-gaps-" + backendId + ".txt";
        ClassLoader cl = KnownGaps.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(resource)) {
            if (in == null) {
                return none();
            }
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** Parses the text of a known-gaps file; a line without a reason is an error naming file and line. */
    public static KnownGaps parse(String source, String text) {
        List<Gap> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                int bar = t.indexOf('|');
                if (bar <= 0 || t.substring(bar + 1).isBlank()) {
                    throw new IllegalArgumentException(source + " line " + n + ": expected '<pattern> | <reason>', got '"
                            + t + "'");
                }
                out.add(new Gap(t.substring(0, bar).strip(), t.substring(bar + 1).strip(), source + ":" + n));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new KnownGaps(out);
    }

    /** The first gap matching {@code key} ({@code structure/model/check/dtype}). */
    public Optional<Gap> match(String key) {
        return gaps.stream().filter(g -> g.matches(key)).findFirst();
    }

    /** All gaps, in file order. */
    public List<Gap> gaps() {
        return gaps;
    }

    private static Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        for (char c : g.toCharArray()) {
            switch (c) {
                case '*': re.append(".*"); break;
                case '?': re.append('.'); break;
                default: re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
