/**
 * Lanes ONNX: export of Lanes models to ONNX and import of ONNX graphs of the same operators into a
 * {@code Sequential}. The ONNX message classes, generated from ONNX's {@code onnx.proto}, stay inside.
 */
module lanes.onnx {
    requires transitive lanes.layers;
    requires com.google.protobuf;

    exports lanes.onnx;
}
