// Skipcheck's graph runner: builds a TensorFlow graph from JavaScript and runs it in a TF_Session.
// tfjs-node executes one eager op per call; the trainer records one training step as a list of ops and
// replays it here as one graph, which TensorFlow's executor runs with independent ops in parallel (what
// Keras's tf.function gets). Thin by design: the JavaScript side decides what to build; this file only
// maps values onto TensorFlow's C API and reports TF_Status messages as JavaScript errors.
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tensorflow/c/c_api.h"

#define CHECK_NAPI(env, call)                                   \
  do {                                                          \
    if ((call) != napi_ok) {                                    \
      napi_throw_error((env), NULL, "N-API call failed: " #call); \
      return NULL;                                              \
    }                                                           \
  } while (0)

// Attr kinds, the numbering of TF_AttrType (tfjs-node uses the same numbers).
enum { ATTR_STRING = 0, ATTR_INT = 1, ATTR_FLOAT = 2, ATTR_BOOL = 3, ATTR_TYPE = 4, ATTR_SHAPE = 5, ATTR_TENSOR = 6 };

typedef struct {
  TF_Graph* graph;
  TF_Operation** ops;
  size_t count;
  size_t capacity;
} GraphBox;

typedef struct {
  TF_Session* session;
} SessionBox;

typedef struct {
  TF_Tensor* tensor;
} TensorBox;

// Tensors handed to JavaScript and not yet freed: lets tests prove that training steps leak none.
static int64_t live_tensors = 0;

static void free_tensor(TensorBox* box) {
  if (box->tensor) {
    TF_DeleteTensor(box->tensor);
    box->tensor = NULL;
    live_tensors--;
  }
}

static napi_value throw_status(napi_env env, const char* what, TF_Status* status) {
  char message[4096];
  snprintf(message, sizeof message, "%s: %s", what, TF_Message(status));
  TF_DeleteStatus(status);
  napi_throw_error(env, NULL, message);
  return NULL;
}

static void finalize_graph(napi_env env, void* data, void* hint) {
  GraphBox* box = (GraphBox*)data;
  TF_DeleteGraph(box->graph);
  free(box->ops);
  free(box);
}

static void finalize_session(napi_env env, void* data, void* hint) {
  SessionBox* box = (SessionBox*)data;
  if (box->session) {
    TF_Status* status = TF_NewStatus();
    TF_CloseSession(box->session, status);
    TF_DeleteSession(box->session, status);
    TF_DeleteStatus(status);
  }
  free(box);
}

static void finalize_tensor(napi_env env, void* data, void* hint) {
  TensorBox* box = (TensorBox*)data;
  free_tensor(box);
  free(box);
}

static void* unwrap(napi_env env, napi_value value) {
  void* data = NULL;
  if (napi_get_value_external(env, value, &data) != napi_ok) return NULL;
  return data;
}

static int get_args(napi_env env, napi_callback_info info, size_t expected, napi_value* argv) {
  size_t argc = expected;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < expected) {
    napi_throw_type_error(env, NULL, "wrong number of arguments");
    return 0;
  }
  return 1;
}

static char* get_string(napi_env env, napi_value value) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) return NULL;
  char* text = (char*)malloc(length + 1);
  napi_get_value_string_utf8(env, value, text, length + 1, &length);
  return text;
}

static napi_value property(napi_env env, napi_value object, const char* name) {
  napi_value value = NULL;
  napi_get_named_property(env, object, name, &value);
  return value;
}

static double number_at(napi_env env, napi_value array, uint32_t i) {
  napi_value item;
  double number = 0;
  napi_get_element(env, array, i, &item);
  napi_get_value_double(env, item, &number);
  return number;
}

static bool flag_at(napi_env env, napi_value array, uint32_t i) {
  napi_value item;
  bool flag = false;
  napi_get_element(env, array, i, &item);
  napi_get_value_bool(env, item, &flag);
  return flag;
}

static int64_t* int_array(napi_env env, napi_value array, uint32_t* length) {
  napi_get_array_length(env, array, length);
  int64_t* values = (int64_t*)malloc(sizeof(int64_t) * (*length + 1));
  for (uint32_t i = 0; i < *length; i++) values[i] = (int64_t)number_at(env, array, i);
  return values;
}

static size_t dtype_size(TF_DataType dtype) {
  size_t size = TF_DataTypeSize(dtype);
  return size ? size : 1;
}

// A new TF_Tensor holding a copy of `data` (any ArrayBufferView).
static TF_Tensor* tensor_from(napi_env env, int dtype, napi_value shape, napi_value data) {
  uint32_t rank = 0;
  int64_t* dims = int_array(env, shape, &rank);
  size_t elements = 1;
  for (uint32_t i = 0; i < rank; i++) elements *= (size_t)dims[i];
  size_t bytes = elements * dtype_size((TF_DataType)dtype);
  void* source = NULL;
  size_t available = 0;
  bool is_typed = false;
  napi_is_typedarray(env, data, &is_typed);
  if (is_typed) {
    napi_typedarray_type type;
    size_t length;
    napi_value buffer;
    size_t offset;
    napi_get_typedarray_info(env, data, &type, &length, &source, &buffer, &offset);
    size_t element = 1;
    switch (type) {
      case napi_int16_array: case napi_uint16_array: element = 2; break;
      case napi_int32_array: case napi_uint32_array: case napi_float32_array: element = 4; break;
      case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: element = 8; break;
      default: element = 1;
    }
    available = length * element;
  }
  if (!is_typed || available != bytes || (bytes && !source)) {
    free(dims);
    napi_throw_range_error(env, NULL, "tensor data does not match its shape and dtype");
    return NULL;
  }
  TF_Tensor* tensor = TF_AllocateTensor((TF_DataType)dtype, dims, (int)rank, bytes);
  free(dims);
  if (bytes) memcpy(TF_TensorData(tensor), source, bytes);
  return tensor;
}

static napi_value wrap_tensor(napi_env env, TF_Tensor* tensor) {
  TensorBox* box = (TensorBox*)malloc(sizeof(TensorBox));
  box->tensor = tensor;
  live_tensors++;
  napi_value result;
  napi_create_external(env, box, finalize_tensor, NULL, &result);
  return result;
}

// newGraph(): an empty graph.
static napi_value new_graph(napi_env env, napi_callback_info info) {
  GraphBox* box = (GraphBox*)calloc(1, sizeof(GraphBox));
  box->graph = TF_NewGraph();
  napi_value result;
  CHECK_NAPI(env, napi_create_external(env, box, finalize_graph, NULL, &result));
  return result;
}

// opDef(graph, type): the serialized OpDef protobuf of an op type, or throws for an unknown op.
static napi_value op_def(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv)) return NULL;
  GraphBox* box = (GraphBox*)unwrap(env, argv[0]);
  char* type = get_string(env, argv[1]);
  if (!box || !type) {
    free(type);
    napi_throw_type_error(env, NULL, "opDef(graph, type)");
    return NULL;
  }
  TF_Buffer* buffer = TF_NewBuffer();
  TF_Status* status = TF_NewStatus();
  TF_GraphGetOpDef(box->graph, type, buffer, status);
  free(type);
  if (TF_GetCode(status) != TF_OK) {
    TF_DeleteBuffer(buffer);
    return throw_status(env, "opDef", status);
  }
  TF_DeleteStatus(status);
  napi_value result;
  void* copy;
  napi_create_buffer_copy(env, buffer->length, buffer->data, &copy, &result);
  TF_DeleteBuffer(buffer);
  return result;
}

static int output_ref(napi_env env, GraphBox* box, napi_value ref, TF_Output* out) {
  napi_value op_value = property(env, ref, "op");
  napi_value index_value = property(env, ref, "index");
  int32_t op = -1, index = 0;
  if (!op_value || napi_get_value_int32(env, op_value, &op) != napi_ok || op < 0 || (size_t)op >= box->count) return 0;
  if (!index_value || napi_get_value_int32(env, index_value, &index) != napi_ok) return 0;
  out->oper = box->ops[op];
  out->index = index;
  return 1;
}

static int set_attr(napi_env env, TF_OperationDescription* desc, napi_value attr) {
  char* name = get_string(env, property(env, attr, "name"));
  int32_t type = -1;
  napi_get_value_int32(env, property(env, attr, "type"), &type);
  napi_value value = property(env, attr, "value");
  bool is_array = false;
  napi_is_array(env, value, &is_array);
  int ok = 1;
  switch (type) {
    case ATTR_STRING: {
      char* text = get_string(env, value);
      if (text) TF_SetAttrString(desc, name, text, strlen(text)); else ok = 0;
      free(text);
      break;
    }
    case ATTR_INT:
      if (is_array) {
        uint32_t n;
        int64_t* values = int_array(env, value, &n);
        TF_SetAttrIntList(desc, name, values, (int)n);
        free(values);
      } else {
        double number = 0;
        napi_get_value_double(env, value, &number);
        TF_SetAttrInt(desc, name, (int64_t)number);
      }
      break;
    case ATTR_FLOAT:
      if (is_array) {
        uint32_t n;
        napi_get_array_length(env, value, &n);
        float* values = (float*)malloc(sizeof(float) * (n + 1));
        for (uint32_t i = 0; i < n; i++) values[i] = (float)number_at(env, value, i);
        TF_SetAttrFloatList(desc, name, values, (int)n);
        free(values);
      } else {
        double number = 0;
        napi_get_value_double(env, value, &number);
        TF_SetAttrFloat(desc, name, (float)number);
      }
      break;
    case ATTR_BOOL:
      if (is_array) {
        uint32_t n;
        napi_get_array_length(env, value, &n);
        unsigned char* values = (unsigned char*)malloc(n + 1);
        for (uint32_t i = 0; i < n; i++) values[i] = flag_at(env, value, i);
        TF_SetAttrBoolList(desc, name, values, (int)n);
        free(values);
      } else {
        bool flag = false;
        napi_get_value_bool(env, value, &flag);
        TF_SetAttrBool(desc, name, flag);
      }
      break;
    case ATTR_TYPE:
      if (is_array) {
        uint32_t n;
        int64_t* values = int_array(env, value, &n);
        TF_DataType* types = (TF_DataType*)malloc(sizeof(TF_DataType) * (n + 1));
        for (uint32_t i = 0; i < n; i++) types[i] = (TF_DataType)values[i];
        TF_SetAttrTypeList(desc, name, types, (int)n);
        free(types);
        free(values);
      } else {
        int32_t dtype = 0;
        napi_get_value_int32(env, value, &dtype);
        TF_SetAttrType(desc, name, (TF_DataType)dtype);
      }
      break;
    case ATTR_SHAPE: {
      uint32_t n;
      int64_t* dims = int_array(env, value, &n);
      TF_SetAttrShape(desc, name, dims, (int)n);
      free(dims);
      break;
    }
    case ATTR_TENSOR: {
      int32_t dtype = 0;
      napi_get_value_int32(env, property(env, value, "dtype"), &dtype);
      TF_Tensor* tensor = tensor_from(env, dtype, property(env, value, "shape"), property(env, value, "data"));
      if (!tensor) {
        free(name);
        return -1;  // exception pending
      }
      TF_Status* status = TF_NewStatus();
      TF_SetAttrTensor(desc, name, tensor, status);
      TF_DeleteTensor(tensor);
      ok = TF_GetCode(status) == TF_OK;
      TF_DeleteStatus(status);
      break;
    }
    default:
      ok = 0;
  }
  free(name);
  return ok;
}

// addOp(graph, type, name, inputs, attrs): adds one operation and returns its index. inputs holds one
// entry per input argument of the op: {op, index} for a single tensor, an array of them for a list.
static napi_value add_op(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!get_args(env, info, 5, argv)) return NULL;
  GraphBox* box = (GraphBox*)unwrap(env, argv[0]);
  char* type = get_string(env, argv[1]);
  char* name = get_string(env, argv[2]);
  if (!box || !type || !name) {
    free(type);
    free(name);
    napi_throw_type_error(env, NULL, "addOp(graph, type, name, inputs, attrs)");
    return NULL;
  }
  TF_OperationDescription* desc = TF_NewOperation(box->graph, type, name);
  char error[512] = {0};
  uint32_t n_inputs = 0, n_attrs = 0;
  napi_get_array_length(env, argv[3], &n_inputs);
  napi_get_array_length(env, argv[4], &n_attrs);
  for (uint32_t i = 0; i < n_inputs && !error[0]; i++) {
    napi_value arg;
    bool is_list = false;
    napi_get_element(env, argv[3], i, &arg);
    napi_is_array(env, arg, &is_list);
    if (is_list) {
      uint32_t n;
      napi_get_array_length(env, arg, &n);
      TF_Output* list = (TF_Output*)malloc(sizeof(TF_Output) * (n + 1));
      for (uint32_t k = 0; k < n && !error[0]; k++) {
        napi_value ref;
        napi_get_element(env, arg, k, &ref);
        if (!output_ref(env, box, ref, &list[k])) snprintf(error, sizeof error, "%s: bad input %u[%u]", name, i, k);
      }
      if (!error[0]) TF_AddInputList(desc, list, (int)n);
      free(list);
    } else {
      TF_Output out;
      if (output_ref(env, box, arg, &out)) TF_AddInput(desc, out);
      else snprintf(error, sizeof error, "%s: bad input %u", name, i);
    }
  }
  for (uint32_t i = 0; i < n_attrs && !error[0]; i++) {
    napi_value attr;
    napi_get_element(env, argv[4], i, &attr);
    int ok = set_attr(env, desc, attr);
    if (ok < 0) {
      error[0] = '!';  // a JavaScript exception is already pending
    } else if (!ok) {
      snprintf(error, sizeof error, "%s: attribute %u has an unsupported type or value", name, i);
    }
  }
  // TF_FinishOperation must run even on error: it frees the description.
  TF_Status* status = TF_NewStatus();
  TF_Operation* op = TF_FinishOperation(desc, status);
  free(type);
  if (error[0]) {
    TF_DeleteStatus(status);
    free(name);
    if (error[0] != '!') napi_throw_error(env, NULL, error);
    return NULL;
  }
  if (TF_GetCode(status) != TF_OK) {
    char what[300];
    snprintf(what, sizeof what, "addOp %.250s", name);
    free(name);
    return throw_status(env, what, status);
  }
  free(name);
  TF_DeleteStatus(status);
  if (box->count == box->capacity) {
    box->capacity = box->capacity ? box->capacity * 2 : 256;
    box->ops = (TF_Operation**)realloc(box->ops, sizeof(TF_Operation*) * box->capacity);
  }
  box->ops[box->count] = op;
  napi_value result;
  napi_create_uint32(env, (uint32_t)box->count++, &result);
  return result;
}

// newSession(graph, configProto?): a session over the graph; configProto is a serialized ConfigProto.
static napi_value new_session(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  size_t argc = 2;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  GraphBox* graph = argc > 0 ? (GraphBox*)unwrap(env, argv[0]) : NULL;
  if (!graph) {
    napi_throw_type_error(env, NULL, "newSession(graph, configProto?)");
    return NULL;
  }
  TF_Status* status = TF_NewStatus();
  TF_SessionOptions* options = TF_NewSessionOptions();
  bool is_buffer = false;
  if (argc > 1) napi_is_buffer(env, argv[1], &is_buffer);
  if (is_buffer) {
    void* data;
    size_t length;
    napi_get_buffer_info(env, argv[1], &data, &length);
    TF_SetConfig(options, data, length, status);
    if (TF_GetCode(status) != TF_OK) {
      TF_DeleteSessionOptions(options);
      return throw_status(env, "session config", status);
    }
  }
  TF_Session* session = TF_NewSession(graph->graph, options, status);
  TF_DeleteSessionOptions(options);
  if (TF_GetCode(status) != TF_OK) return throw_status(env, "newSession", status);
  TF_DeleteStatus(status);
  SessionBox* box = (SessionBox*)malloc(sizeof(SessionBox));
  box->session = session;
  napi_value result;
  CHECK_NAPI(env, napi_create_external(env, box, finalize_session, NULL, &result));
  return result;
}

// tensor(dtype, shape, data): a TensorFlow tensor holding a copy of the typed array.
static napi_value new_tensor(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!get_args(env, info, 3, argv)) return NULL;
  int32_t dtype = 0;
  napi_get_value_int32(env, argv[0], &dtype);
  TF_Tensor* tensor = tensor_from(env, dtype, argv[1], argv[2]);
  return tensor ? wrap_tensor(env, tensor) : NULL;
}

// tensorData(tensor): {dtype, shape, data: ArrayBuffer (a copy)}.
static napi_value tensor_data(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv)) return NULL;
  TensorBox* box = (TensorBox*)unwrap(env, argv[0]);
  if (!box || !box->tensor) {
    napi_throw_error(env, NULL, "tensorData: the tensor was deleted");
    return NULL;
  }
  TF_Tensor* tensor = box->tensor;
  int rank = TF_NumDims(tensor);
  napi_value result, shape, dtype, data;
  napi_create_object(env, &result);
  napi_create_array_with_length(env, rank, &shape);
  for (int i = 0; i < rank; i++) {
    napi_value dim;
    napi_create_int64(env, TF_Dim(tensor, i), &dim);
    napi_set_element(env, shape, i, dim);
  }
  napi_create_int32(env, TF_TensorType(tensor), &dtype);
  void* bytes;
  size_t length = TF_TensorByteSize(tensor);
  napi_create_arraybuffer(env, length, &bytes, &data);
  if (length) memcpy(bytes, TF_TensorData(tensor), length);
  napi_set_named_property(env, result, "dtype", dtype);
  napi_set_named_property(env, result, "shape", shape);
  napi_set_named_property(env, result, "data", data);
  return result;
}

// deleteTensor(tensor): frees it now rather than at garbage collection (weights are large).
static napi_value delete_tensor(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv)) return NULL;
  TensorBox* box = (TensorBox*)unwrap(env, argv[0]);
  if (box) free_tensor(box);
  return NULL;
}

// run(session, graph, feedRefs, feedTensors, fetchRefs): runs the graph once and returns the fetched
// tensors. feedRefs/fetchRefs are {op, index} outputs of the graph.
static napi_value run(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!get_args(env, info, 5, argv)) return NULL;
  SessionBox* session = (SessionBox*)unwrap(env, argv[0]);
  GraphBox* graph = (GraphBox*)unwrap(env, argv[1]);
  if (!session || !graph || !session->session) {
    napi_throw_type_error(env, NULL, "run(session, graph, feedRefs, feedTensors, fetchRefs)");
    return NULL;
  }
  uint32_t n_feeds = 0, n_tensors = 0, n_fetches = 0;
  napi_get_array_length(env, argv[2], &n_feeds);
  napi_get_array_length(env, argv[3], &n_tensors);
  napi_get_array_length(env, argv[4], &n_fetches);
  if (n_feeds != n_tensors) {
    napi_throw_range_error(env, NULL, "run: one tensor per feed");
    return NULL;
  }
  TF_Output* feeds = (TF_Output*)malloc(sizeof(TF_Output) * (n_feeds + 1));
  TF_Tensor** values = (TF_Tensor**)malloc(sizeof(TF_Tensor*) * (n_feeds + 1));
  TF_Output* fetches = (TF_Output*)malloc(sizeof(TF_Output) * (n_fetches + 1));
  TF_Tensor** results = (TF_Tensor**)calloc(n_fetches + 1, sizeof(TF_Tensor*));
  const char* error = NULL;
  for (uint32_t i = 0; i < n_feeds && !error; i++) {
    napi_value ref, tensor;
    napi_get_element(env, argv[2], i, &ref);
    napi_get_element(env, argv[3], i, &tensor);
    TensorBox* box = (TensorBox*)unwrap(env, tensor);
    if (!output_ref(env, graph, ref, &feeds[i])) error = "run: bad feed reference";
    else if (!box || !box->tensor) error = "run: a fed tensor was deleted";
    else values[i] = box->tensor;
  }
  for (uint32_t i = 0; i < n_fetches && !error; i++) {
    napi_value ref;
    napi_get_element(env, argv[4], i, &ref);
    if (!output_ref(env, graph, ref, &fetches[i])) error = "run: bad fetch reference";
  }
  napi_value result = NULL;
  if (error) {
    napi_throw_error(env, NULL, error);
  } else {
    TF_Status* status = TF_NewStatus();
    TF_SessionRun(session->session, NULL, feeds, values, (int)n_feeds, fetches, results, (int)n_fetches,
                  NULL, 0, NULL, status);
    if (TF_GetCode(status) != TF_OK) {
      throw_status(env, "run", status);
    } else {
      TF_DeleteStatus(status);
      napi_create_array_with_length(env, n_fetches, &result);
      for (uint32_t i = 0; i < n_fetches; i++) napi_set_element(env, result, i, wrap_tensor(env, results[i]));
    }
  }
  free(feeds);
  free(values);
  free(fetches);
  free(results);
  return result;
}

static napi_value live(napi_env env, napi_callback_info info) {
  napi_value result;
  napi_create_int64(env, live_tensors, &result);
  return result;
}

static napi_value version(napi_env env, napi_callback_info info) {
  napi_value result;
  napi_create_string_utf8(env, TF_Version(), NAPI_AUTO_LENGTH, &result);
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor methods[] = {
    {"newGraph", NULL, new_graph, NULL, NULL, NULL, napi_default, NULL},
    {"opDef", NULL, op_def, NULL, NULL, NULL, napi_default, NULL},
    {"addOp", NULL, add_op, NULL, NULL, NULL, napi_default, NULL},
    {"newSession", NULL, new_session, NULL, NULL, NULL, napi_default, NULL},
    {"tensor", NULL, new_tensor, NULL, NULL, NULL, napi_default, NULL},
    {"tensorData", NULL, tensor_data, NULL, NULL, NULL, napi_default, NULL},
    {"deleteTensor", NULL, delete_tensor, NULL, NULL, NULL, napi_default, NULL},
    {"run", NULL, run, NULL, NULL, NULL, napi_default, NULL},
    {"liveTensors", NULL, live, NULL, NULL, NULL, napi_default, NULL},
    {"tfVersion", NULL, version, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof methods / sizeof methods[0], methods);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
