package io.github.lstm4j.io;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Everything a safetensors file holds: its tensors, in the order of their data offsets, and its
 * {@code __metadata__} strings.
 */
public final class SafetensorsContent {

    /** How many available names a "no such tensor" message lists before eliding the rest. */
    private static final int MAX_NAMES_IN_MESSAGE = 20;

    private final Map<String, RawTensor> tensors;
    private final Map<String, String> metadata;

    /** Takes ownership of both maps, which the caller must not modify afterwards. */
    SafetensorsContent(LinkedHashMap<String, RawTensor> tensors, Map<String, String> metadata) {
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /**
     * Returns the tensors keyed by name, in the order of their data offsets in the file.
     *
     * @return an unmodifiable map
     */
    public Map<String, RawTensor> tensors() {
        return tensors;
    }

    /**
     * Returns the {@code __metadata__} entries in file order.
     *
     * @return an unmodifiable map, empty if the file has no metadata
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Returns the tensor with the given name.
     *
     * @param name a tensor name
     * @return the tensor
     * @throws NoSuchElementException naming the missing key and listing the available ones
     */
    public RawTensor get(String name) {
        RawTensor t = tensors.get(name);
        if (t == null) {
            throw new NoSuchElementException("no tensor named " + Json.quote(name) + "; available: "
                    + availableNames());
        }
        return t;
    }

    private String availableNames() {
        if (tensors.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder("[");
        Iterator<String> it = tensors.keySet().iterator();
        for (int i = 0; i < MAX_NAMES_IN_MESSAGE && it.hasNext(); i++) {
            sb.append(i == 0 ? "" : ", ").append(Json.printable(it.next()));
        }
        if (it.hasNext()) {
            sb.append(", ... (").append(tensors.size() - MAX_NAMES_IN_MESSAGE).append(" more)");
        }
        return sb.append(']').toString();
    }

    @Override
    public String toString() {
        return "SafetensorsContent[" + tensors.size() + " tensors, " + metadata.size() + " metadata keys]";
    }
}
