package org.lincde.spi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Ordered named tensors: a model's trainable parameters and its fixed buffers (such as the sparse
 * structure's mask). Names are the authors' PyTorch state-dict keys where one exists
 * ({@code embedding.weight}, {@code blocks.0.LCDE.vf_A}, {@code blocks.0.LCDE.mask}, …), so weights
 * move between lincde and the authors' code through safetensors files.
 *
 * <p>Every backend receives the same {@code ParameterSet} built once, in backend-neutral Java, from
 * the project's {@link Rng}: that is what makes cross-checking backends possible. Instances are
 * mutable while being built; {@link #copy()} before handing one to code that must not see later
 * changes.
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public final class ParameterSet {
    /** Whether a named tensor is optimised or held fixed. */
    public enum Role {
        /** Updated by the optimiser. */
        TRAINABLE,
        /** Fixed (masks, fixed matrices): saved and loaded, never updated. */
        BUFFER
    }

    /** One named tensor. */
    public record Entry(String name, HostTensor tensor, Role role) {
        /** Whether the optimiser updates this entry. */
        public boolean trainable() {
            return role == Role.TRAINABLE;
        }
    }

    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    /** Adds a trainable parameter; duplicate names are an error naming the key. */
    public ParameterSet put(String name, HostTensor tensor) {
        return put(name, tensor, Role.TRAINABLE);
    }

    /** Adds a named tensor with a role; duplicate names are an error naming the key. */
    public ParameterSet put(String name, HostTensor tensor, Role role) {
        if (entries.containsKey(name)) {
            throw new IllegalArgumentException("duplicate parameter name '" + name + "'");
        }
        entries.put(name, new Entry(name, tensor, role));
        return this;
    }

    /** Replaces the tensor of an existing entry, keeping its role; the shape must not change. */
    public void replace(String name, HostTensor tensor) {
        Entry e = entry(name);
        if (!Arrays.equals(e.tensor().shape(), tensor.shape())) {
            throw new IllegalArgumentException("parameter '" + name + "' has shape "
                    + Arrays.toString(e.tensor().shape()) + ", replacement has " + Arrays.toString(tensor.shape()));
        }
        entries.put(name, new Entry(name, tensor, e.role()));
    }

    /** Whether {@code name} is present. */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** The tensor named {@code name}; a missing key is an error listing close names. */
    public HostTensor get(String name) {
        return entry(name).tensor();
    }

    /** The entry named {@code name}; a missing key is an error naming it. */
    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "' (have: " + entries.keySet() + ")");
        }
        return e;
    }

    /** Names in insertion order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /** Entries in insertion order. */
    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** Entries matching {@code filter}, in order. */
    public List<Entry> entries(Predicate<Entry> filter) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (filter.test(e)) {
                out.add(e);
            }
        }
        return out;
    }

    /** Number of entries. */
    public int size() {
        return entries.size();
    }

    /** Total number of trainable scalars. */
    public long trainableCount() {
        long n = 0;
        for (Entry e : entries.values()) {
            if (e.trainable()) {
                n += e.tensor().size();
            }
        }
        return n;
    }

    /** A deep copy (tensors copied). */
    public ParameterSet copy() {
        ParameterSet p = new ParameterSet();
        for (Entry e : entries.values()) {
            p.put(e.name(), e.tensor().copy(), e.role());
        }
        return p;
    }

    /** A copy with every tensor prefixed by {@code prefix} (e.g. {@code "blocks.0.LCDE."}). */
    public ParameterSet withPrefix(String prefix) {
        ParameterSet p = new ParameterSet();
        for (Entry e : entries.values()) {
            p.put(prefix + e.name(), e.tensor(), e.role());
        }
        return p;
    }

    /** Adds every entry of {@code other} (names must not clash). */
    public ParameterSet putAll(ParameterSet other) {
        for (Entry e : other.entries.values()) {
            put(e.name(), e.tensor(), e.role());
        }
        return this;
    }

    /** Name → tensor view, in order. */
    public Map<String, HostTensor> asMap() {
        Map<String, HostTensor> m = new LinkedHashMap<>();
        entries.values().forEach(e -> m.put(e.name(), e.tensor()));
        return Collections.unmodifiableMap(m);
    }

    /** True when names, order, roles, shapes and every value agree bitwise. */
    public boolean sameAs(ParameterSet other) {
        if (!List.copyOf(entries.keySet()).equals(List.copyOf(other.entries.keySet()))) {
            return false;
        }
        for (Entry e : entries.values()) {
            Entry o = other.entries.get(e.name());
            if (e.role() != o.role() || !e.tensor().sameAs(o.tensor())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ParameterSet[");
        for (Entry e : entries.values()) {
            sb.append("\n  ").append(e.name()).append(' ').append(Arrays.toString(e.tensor().shape()));
            if (!e.trainable()) {
                sb.append(" (buffer)");
            }
        }
        return sb.append("\n]").toString();
    }
}
