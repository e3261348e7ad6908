package org.lincde.spi;

import java.nio.charset.StandardCharsets;

/**
 * The project's only source of randomness: a counter-based generator (Philox4x32-10, Salmon et
 * al. 2011, "Parallel random numbers: as easy as 1, 2, 3") whose output depends on nothing but
 * its 64-bit key and a 64-bit position. Integer arithmetic throughout and {@link StrictMath} for
 * the normal transform, so every platform and JVM draws the same bits.
 *
 * <p>Streams are derived by name ({@code rng.stream("init", "blocks.0.LCDE.vf_A")}): a child's key
 * is a Philox hash of the parent key and the name, independent of how much the parent has drawn.
 * So adding a parameter shifts no other parameter's initialisation, and a run's dropout masks do
 * not depend on how its data were drawn. No {@code java.util.Random}, {@code Math.random()} or
 * engine generator is used anywhere in lincde.
 *
 * <p>An instance is a cursor (key + position) and is not thread-safe; derive one stream per
 * thread.
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public final class Rng {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final double TWO_PI = 2.0 * Math.PI;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private final int key0;
    private final int key1;
    private long position;
    private final int[] block = new int[4];
    private int blockUsed = 4;

    private Rng(int key0, int key1) {
        this.key0 = key0;
        this.key1 = key1;
    }

    /** A root generator for {@code seed}. Same seed, same stream, everywhere. */
    public static Rng seeded(long seed) {
        return new Rng((int) seed, (int) (seed >>> 32));
    }

    /** The 64-bit key of this stream (for provenance and tests). */
    public long key() {
        return (key0 & 0xFFFFFFFFL) | ((long) key1 << 32);
    }

    /**
     * A child stream named by {@code path} (strings, numbers, enums: their {@code toString()} in
     * UTF-8). Independent of this stream's position.
     */
    public Rng stream(Object... path) {
        int k0 = key0;
        int k1 = key1;
        int depth = 0;
        for (Object part : path) {
            long h = fnv1a64(String.valueOf(part));
            int[] out = new int[4];
            philox((int) h, (int) (h >>> 32), 0x5EED5EED, ++depth, k0, k1, out);
            k0 = out[0];
            k1 = out[1];
        }
        return new Rng(k0, k1);
    }

    /** A uniformly distributed 64-bit value. */
    public long nextLong() {
        long hi = nextInt32() & 0xFFFFFFFFL;
        long lo = nextInt32() & 0xFFFFFFFFL;
        return (hi << 32) | lo;
    }

    /** A uniformly distributed 32-bit value. */
    public int nextInt32() {
        if (blockUsed == 4) {
            philox((int) position, (int) (position >>> 32), 0, 0, key0, key1, block);
            position++;
            blockUsed = 0;
        }
        return block[blockUsed++];
    }

    /**
     * Fills {@code out} with uniform 32-bit values straight from the counter: {@code out[i]} is lane
     * {@code i % 4} of the Philox block at counter {@code base + i / 4}, where {@code base} is this stream's
     * next unused block (a partly used block is skipped). The stream then continues after the last block
     * used. Large fills run in parallel chunks; the values do not depend on the thread count.
     */
    public void fillInt32(int[] out) {
        final long base = position;
        final int blocks = (out.length + 3) / 4;
        final int k0 = key0;
        final int k1 = key1;
        final int chunkBlocks = 1 << 12;
        int chunks = (blocks + chunkBlocks - 1) / chunkBlocks;
        java.util.function.IntConsumer fill = c -> {
            int[] blk = new int[4];
            int from = c * chunkBlocks;
            int to = Math.min(blocks, from + chunkBlocks);
            for (int b = from; b < to; b++) {
                long ctr = base + b;
                philox((int) ctr, (int) (ctr >>> 32), 0, 0, k0, k1, blk);
                int i = 4 * b;
                for (int lane = 0; lane < 4 && i + lane < out.length; lane++) {
                    out[i + lane] = blk[lane];
                }
            }
        };
        if (chunks > 1) {
            java.util.stream.IntStream.range(0, chunks).parallel().forEach(fill);
        } else if (chunks == 1) {
            fill.accept(0);
        }
        position = base + blocks;
        blockUsed = 4;
    }

    /** A uniform integer in {@code [0, bound)} without modulo bias (Lemire's method). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long m = (nextInt32() & 0xFFFFFFFFL) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = (nextInt32() & 0xFFFFFFFFL) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** A uniform integer in {@code [min, maxInclusive]}. */
    public int nextIntInclusive(int min, int maxInclusive) {
        if (maxInclusive < min) {
            throw new IllegalArgumentException("empty range [" + min + ", " + maxInclusive + "]");
        }
        return min + nextInt(maxInclusive - min + 1);
    }

    /** A uniform double in {@code [0, 1)} with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /** A uniform double in {@code [low, high)}. */
    public double nextUniform(double low, double high) {
        return low + (high - low) * nextDouble();
    }

    /** A standard normal draw (Box–Muller, cosine branch; consumes two uniforms). */
    public double nextNormal() {
        double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(TWO_PI * u2);
    }

    /** Fills {@code out} with {@code N(mean, std²)} draws, in index order. */
    public void fillNormal(double[] out, double mean, double std) {
        for (int i = 0; i < out.length; i++) {
            out[i] = mean + std * nextNormal();
        }
    }

    /** Fills {@code out} with {@code U(low, high)} draws, in index order. */
    public void fillUniform(double[] out, double low, double high) {
        for (int i = 0; i < out.length; i++) {
            out[i] = nextUniform(low, high);
        }
    }

    /** Fisher–Yates shuffle of {@code a} in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** A random permutation of {@code 0..n-1}. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p);
        return p;
    }

    /**
     * One Philox4x32-10 block: counter {@code (c0,c1,c2,c3)}, key {@code (k0,k1)} → {@code out}.
     * Public for the known-answer test against Random123's {@code kat_vectors}.
     */
    public static void philox(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int round = 0; round < 10; round++) {
            if (round > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n1 = (int) p1;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            int n3 = (int) p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    private static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xFF);
            h *= 0x100000001b3L;
        }
        return h;
    }

    @Override
    public String toString() {
        return "Rng[key=" + Long.toHexString(key()) + ", position=" + position + "]";
    }
}
