package org.lincde.harness.data.uea;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Class label strings → integers {@code 0..K−1} in sorted string order, fitted on the training
 * file's labels only (scikit-learn's {@code LabelEncoder}, as in SPEC §3.5). Sorting is by
 * {@link String#compareTo} (code-unit order, the same as numpy's for these labels), so
 * {@code "10"} sorts before {@code "2"}.
 *
 * @param classes the sorted distinct training labels; class {@code k} is {@code classes.get(k)}
 */
public record LabelEncoding(List<String> classes) {

    /** Copies {@code classes}. */
    public LabelEncoding {
        classes = List.copyOf(classes);
    }

    /** Fits the encoding to the training labels. */
    public static LabelEncoding fit(String[] trainLabels) {
        if (trainLabels.length == 0) {
            throw new IllegalArgumentException("cannot fit a label encoding to no labels");
        }
        return new LabelEncoding(List.copyOf(new TreeSet<>(Arrays.asList(trainLabels))));
    }

    /** Number of classes K. */
    public int size() {
        return classes.size();
    }

    /** The code of {@code label}; a label unseen in training fails naming it and {@code where}. */
    public int encode(String label, String where) {
        int k = java.util.Collections.binarySearch(classes, label);
        if (k < 0) {
            throw new IllegalArgumentException(where + ": class label '" + label + "' does not occur in the training file "
                    + classes);
        }
        return k;
    }
}
