package org.lincde.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import org.lincde.spi.Batch;

/**
 * The input file of {@code lincde eval}: {@code {"input": [[id, id, …], …]}}, one list of token ids per
 * sequence ({@code [[a, b], …]} pairs per step for a {@code second_embedding} model). Ragged sequences
 * are padded at the end with token 0 (R1's padding token) to the longest length; R1's model is causal,
 * so padding changes no logit at a real position. Every error names the file and the position
 * ({@code input[1][3]}).
 *
 * @param tokens  the padded ids, shape {@code (B, L, perStep)}
 * @param lengths each sequence's unpadded length
 */
record EvalInput(Batch.TokenInputs tokens, int[] lengths) {

    /** A batch for a forward pass (no position scored). */
    Batch batch() {
        int n = tokens.batch() * tokens.length();
        return new Batch(tokens, new Batch.TokenTargets(new int[n], new boolean[n]), lengths);
    }

    /** Reads {@code file}; ids must lie in {@code [0, vocab)}; {@code perStep} is 1 or 2. */
    static EvalInput read(Path file, int vocab, int perStep) {
        JsonNode root = org.lincde.harness.io.StrictText.json(file.toString(),
                org.lincde.harness.io.StrictText.read(file, "input"));
        if (root == null || !root.isObject() || !root.has("input")) {
            throw new IllegalArgumentException(file + ": expected an object {\"input\": [[ids...], ...]}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("input")) {
                throw new IllegalArgumentException(file + ": unknown key '" + k + "' (only 'input' is read)");
            }
        }
        JsonNode seqs = root.get("input");
        if (!seqs.isArray() || seqs.isEmpty()) {
            throw new IllegalArgumentException(file + ": 'input' must be a non-empty list of sequences");
        }
        int b = seqs.size();
        int[] lengths = new int[b];
        int len = 0;
        for (int i = 0; i < b; i++) {
            JsonNode s = seqs.get(i);
            if (!s.isArray() || s.isEmpty()) {
                throw new IllegalArgumentException(file + ": input[" + i + "] must be a non-empty list of token ids");
            }
            lengths[i] = s.size();
            len = Math.max(len, s.size());
        }
        if (len < 2) {
            throw new IllegalArgumentException(file + ": the longest sequence has " + len
                    + " token(s); the Linear CDE needs at least 2 (SPEC §1.1)");
        }
        int[] ids = new int[b * len * perStep]; // padding: token 0
        for (int i = 0; i < b; i++) {
            JsonNode s = seqs.get(i);
            for (int t = 0; t < s.size(); t++) {
                JsonNode tok = s.get(t);
                if (perStep == 1) {
                    ids[i * len + t] = id(file, tok, "input[" + i + "][" + t + "]", vocab);
                } else {
                    if (!tok.isArray() || tok.size() != perStep) {
                        throw new IllegalArgumentException(file + ": input[" + i + "][" + t + "] must be a list of "
                                + perStep + " ids (the model has second_embedding), got " + tok);
                    }
                    for (int k = 0; k < perStep; k++) {
                        ids[(i * len + t) * perStep + k] = id(file, tok.get(k),
                                "input[" + i + "][" + t + "][" + k + "]", vocab);
                    }
                }
            }
        }
        return new EvalInput(new Batch.TokenInputs(b, len, perStep, ids), lengths);
    }

    private static int id(Path file, JsonNode v, String where, int vocab) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(file + ": " + where + " = " + v + " is not a token id (an integer)");
        }
        int id = v.asInt();
        if (id < 0 || id >= vocab) {
            throw new IllegalArgumentException(file + ": " + where + " = " + id + " is outside the vocabulary [0, "
                    + vocab + ") of the weights");
        }
        return id;
    }
}
