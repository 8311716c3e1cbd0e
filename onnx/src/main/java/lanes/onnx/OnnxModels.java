package lanes.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lanes.layers.io.ModelFile;
import lanes.layers.models.Architecture;
import lanes.layers.nn.Parameter;
import lanes.layers.nn.Sequential;

/**
 * ONNX files as Lanes model files: the graph imported ({@link OnnxImport}) and named by an architecture, so that
 * {@code eval}, {@code predict} and a {@code .lanes} file can take it.
 */
public final class OnnxModels {
    private OnnxModels() {
    }

    /**
     * The model in an ONNX file as one of Lanes' architectures: {@code given}, else the one its metadata names
     * (Lanes' own exports), else the one its layers are ({@link Architecture#recognise}).
     *
     * @param file the ONNX file
     * @param given the architecture, or null to find it
     * @return the architecture, its model with the file's weights, and the file's other metadata
     * @throws IOException if the file cannot be imported, or its layers are not those of the architecture (or
     *                     of any built-in one), naming the difference
     */
    public static ModelFile.Loaded read(Path file, Architecture given) throws IOException {
        OnnxImport.Imported imported = OnnxImport.read(file);
        Map<String, String> metadata = new LinkedHashMap<>(imported.metadata());
        String text = metadata.remove(ModelFile.ARCHITECTURE);
        metadata.remove(ModelFile.INPUT);
        Architecture architecture = given;
        if (architecture == null && text != null) {
            architecture = new Architecture(text, imported.exampleShape());
        }
        if (architecture == null) {
            architecture = Architecture.recognise(imported.model(), imported.exampleShape()).orElseThrow(
                    () -> new IOException(file + ": the graph's layers " + layers(imported.model()) + " are none of "
                            + "Lanes' built-in architectures; give one (--arch NAME), or use the model through the "
                            + "library (OnnxImport.read)"));
        }
        if (!Arrays.equals(architecture.input(), imported.exampleShape())) {
            throw new IOException(file + ": takes inputs of " + Arrays.toString(imported.exampleShape()) + " but "
                    + architecture + " takes " + Arrays.toString(architecture.input()));
        }
        Sequential model;
        try {
            model = architecture.build(0);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        if (!layers(model).equals(layers(imported.model()))) {
            throw new IOException(file + ": the graph's layers " + layers(imported.model()) + " are not those of "
                    + architecture + ": " + layers(model));
        }
        List<Parameter> to = model.parameters();
        List<Parameter> from = imported.model().parameters();
        for (int i = 0; i < to.size(); i++) {
            to.get(i).value.copyFrom(from.get(i).value);
        }
        return new ModelFile.Loaded(architecture, metadata, model);
    }

    private static List<String> layers(Sequential model) {
        return Architecture.signature(model);
    }
}
