package dev.tempera.lab.cli;

import dev.tempera.sampling.ProcessorOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine;

/** {@code --order vllm|transformers|llama.cpp}, parsed by {@link ProcessorOrder#parse}. */
public final class OrderConverter implements CommandLine.ITypeConverter<ProcessorOrder> {

    @Override
    public ProcessorOrder convert(String value) {
        try {
            return ProcessorOrder.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** The ids, for {@code --help}. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> ids = new ArrayList<>();
            for (ProcessorOrder o : ProcessorOrder.values()) {
                ids.add(o.id());
            }
            return ids.iterator();
        }
    }
}
