/** ONNX export ({@link lanes.onnx.OnnxExport}) and import ({@link lanes.onnx.OnnxImport}) of Lanes models. */
package lanes.onnx;
