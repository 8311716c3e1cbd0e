/** ONNX export ({@link lanes.onnx.OnnxExport}) of Lanes models. */
package lanes.onnx;
