//===- Npy.cpp - NumPy .npy arrays ----------------------------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Runner/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir::ein;
using llvm::StringRef;
using llvm::Twine;

/// An error whose message stays one printable line: bytes of a malformed
/// header that it quotes are escaped (`\n` as `\0A`).
static llvm::Error fail(const Twine &message) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::printEscapedString(message.str(), os);
  return llvm::createStringError(llvm::inconvertibleErrorCode(), text);
}

llvm::StringRef mlir::ein::dtypeName(DType dtype) {
  return dtype == DType::F32 ? "float32" : "float64";
}

int64_t HostArray::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

double HostArray::get(size_t i) const {
  if (dtype == DType::F32) {
    float v;
    std::memcpy(&v, data.data() + 4 * i, 4);
    return v;
  }
  double v;
  std::memcpy(&v, data.data() + 8 * i, 8);
  return v;
}

void HostArray::set(size_t i, double value) {
  if (dtype == DType::F32) {
    float v = static_cast<float>(value);
    std::memcpy(data.data() + 4 * i, &v, 4);
  } else {
    std::memcpy(data.data() + 8 * i, &value, 8);
  }
}

HostArray HostArray::as(DType to) const {
  if (to == dtype)
    return *this;
  HostArray result;
  result.dtype = to;
  result.shape = shape;
  result.data.resize(numElements() * dtypeSize(to));
  for (int64_t i = 0, e = numElements(); i < e; ++i)
    result.set(i, get(i));
  return result;
}

std::string HostArray::shapeString() const {
  std::string s = "(";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") + std::to_string(d);
  if (shape.size() == 1)
    s += ",";
  return s + ")";
}

/// The bytes an array of `array.dtype` and `array.shape` takes, or an error
/// for negative, overflowing or over-1-TiB shapes.
static llvm::Expected<int64_t> checkedByteSize(const HostArray &array) {
  int64_t bytes = dtypeSize(array.dtype);
  for (int64_t d : array.shape) {
    if (d < 0)
      return fail("negative dimension " + Twine(d) + " in shape " +
                  array.shapeString());
    if (__builtin_mul_overflow(bytes, d, &bytes))
      return fail("shape " + array.shapeString() + " is too large");
  }
  if (bytes > (int64_t(1) << 40))
    return fail("shape " + array.shapeString() + " needs " + Twine(bytes) +
                " bytes, more than the 1 TiB ein-run accepts");
  return bytes;
}

llvm::Expected<HostArray> mlir::ein::makeArray(DType dtype,
                                               llvm::ArrayRef<int64_t> shape) {
  HostArray array;
  array.dtype = dtype;
  array.shape.assign(shape.begin(), shape.end());
  llvm::Expected<int64_t> bytes = checkedByteSize(array);
  if (!bytes)
    return bytes.takeError();
  array.data.assign(*bytes, 0);
  return array;
}

namespace {

/// A tiny reader for the header's Python dict literal.
class HeaderParser {
public:
  HeaderParser(StringRef text) : text(text) {}

  void skipSpace() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\n' ||
                                 text[pos] == '\t' || text[pos] == '\r'))
      ++pos;
  }
  bool consume(char c) {
    skipSpace();
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  bool peek(char c) {
    skipSpace();
    return pos < text.size() && text[pos] == c;
  }
  std::optional<std::string> string() {
    skipSpace();
    if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
      return std::nullopt;
    char quote = text[pos++];
    size_t end = text.find(quote, pos);
    if (end == StringRef::npos)
      return std::nullopt;
    std::string s = text.substr(pos, end - pos).str();
    pos = end + 1;
    return s;
  }
  std::optional<bool> boolean() {
    skipSpace();
    if (text.substr(pos).starts_with("True")) {
      pos += 4;
      return true;
    }
    if (text.substr(pos).starts_with("False")) {
      pos += 5;
      return false;
    }
    return std::nullopt;
  }
  std::optional<int64_t> integer() {
    skipSpace();
    size_t start = pos;
    while (pos < text.size() && llvm::isDigit(text[pos]))
      ++pos;
    if (pos < text.size() && text[pos] == 'L') // Python 2 longs
      ++pos;
    int64_t value;
    if (start == pos ||
        text.substr(start, pos - start).rtrim('L').getAsInteger(10, value))
      return std::nullopt;
    return value;
  }

  StringRef text;
  size_t pos = 0;
};

} // namespace

llvm::Expected<HostArray> mlir::ein::parseNpy(StringRef bytes, StringRef name) {
  auto bad = [&](const Twine &what) {
    return fail("'" + name + "' is not a valid .npy file: " + what);
  };
  if (bytes.size() < 10 || !bytes.starts_with("\x93NUMPY"))
    return bad("expected the magic string \\x93NUMPY at the start");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  unsigned minor = static_cast<unsigned char>(bytes[7]);
  size_t headerLength, headerStart;
  if (major == 1) {
    headerLength = static_cast<unsigned char>(bytes[8]) |
                   (static_cast<unsigned char>(bytes[9]) << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return bad("truncated header");
    headerLength = 0;
    for (int i = 3; i >= 0; --i)
      headerLength =
          (headerLength << 8) | static_cast<unsigned char>(bytes[8 + i]);
    headerStart = 12;
  } else {
    return bad("unsupported format version " + Twine(major) + "." +
               Twine(minor) + " (expected 1.0, 2.0 or 3.0)");
  }
  if (headerStart + headerLength > bytes.size())
    return bad("the header claims " + Twine(headerLength) +
               " bytes but the file has " + Twine(bytes.size() - headerStart) +
               " after the preamble");

  HeaderParser p(bytes.substr(headerStart, headerLength));
  std::optional<std::string> descr;
  std::optional<bool> fortran;
  std::optional<llvm::SmallVector<int64_t, 4>> shape;
  if (!p.consume('{'))
    return bad("expected the header to be a dict '{...}'");
  while (!p.consume('}')) {
    std::optional<std::string> key = p.string();
    if (!key || !p.consume(':'))
      return bad("expected 'key': value in the header");
    if (*key == "descr") {
      descr = p.string();
      if (!descr)
        return bad("expected a string for 'descr' (a structured dtype is "
                   "not supported)");
    } else if (*key == "fortran_order") {
      fortran = p.boolean();
      if (!fortran)
        return bad("expected True or False for 'fortran_order'");
    } else if (*key == "shape") {
      if (!p.consume('('))
        return bad("expected a tuple for 'shape'");
      shape.emplace();
      while (!p.consume(')')) {
        std::optional<int64_t> d = p.integer();
        if (!d)
          return bad("expected non-negative integers in 'shape'");
        shape->push_back(*d);
        if (!p.consume(',') && !p.peek(')'))
          return bad("expected ',' or ')' in 'shape'");
      }
    } else {
      return bad("unexpected header key '" + *key + "'");
    }
    if (!p.consume(',') && !p.peek('}'))
      return bad("expected ',' or '}' in the header");
  }
  if (!descr || !fortran || !shape)
    return bad("the header lacks 'descr', 'fortran_order' or 'shape'");

  DType dtype;
  if (*descr == "<f4")
    dtype = DType::F32;
  else if (*descr == "<f8")
    dtype = DType::F64;
  else if (descr->size() > 1 && (*descr)[0] == '>')
    return fail("'" + name + "': big-endian dtype '" + *descr +
                "' is not supported (expected '<f4' float32 or '<f8' "
                "float64)");
  else
    return fail("'" + name + "': unsupported dtype '" + *descr +
                "' (expected '<f4' float32 or '<f8' float64)");

  // The header's size is checked against the file before anything is
  // allocated: a corrupt shape must not ask for terabytes.
  HostArray header;
  header.dtype = dtype;
  header.shape.assign(shape->begin(), shape->end());
  llvm::Expected<int64_t> needed = checkedByteSize(header);
  if (!needed)
    return fail("'" + name + "': " + llvm::toString(needed.takeError()));
  StringRef data = bytes.substr(headerStart + headerLength);
  if (data.size() != uint64_t(*needed))
    return fail("'" + name + "': shape " + header.shapeString() + " of " +
                dtypeName(dtype) + " needs " + Twine(*needed) +
                " bytes of data, but the file has " + Twine(data.size()));
  llvm::Expected<HostArray> array = makeArray(dtype, *shape);
  if (!array)
    return fail("'" + name + "': " + llvm::toString(array.takeError()));
  if (!*fortran || shape->size() < 2) {
    // An empty array's buffer may be null, which memcpy must not see.
    if (!data.empty())
      std::memcpy(array->data.data(), data.data(), data.size());
    return array;
  }
  // Fortran order: element (i0, ..., in) is at sum(ik * prod(d<k)).
  size_t elem = dtypeSize(dtype);
  int64_t n = array->numElements();
  size_t rank = shape->size();
  llvm::SmallVector<int64_t, 4> index(rank, 0);
  for (int64_t c = 0; c < n; ++c) {
    int64_t f = 0, stride = 1;
    for (size_t k = 0; k < rank; ++k) {
      f += index[k] * stride;
      stride *= (*shape)[k];
    }
    std::memcpy(array->data.data() + c * elem, data.data() + f * elem, elem);
    for (size_t k = rank; k-- > 0;) {
      if (++index[k] < (*shape)[k])
        break;
      index[k] = 0;
    }
  }
  return array;
}

llvm::Expected<HostArray> mlir::ein::readNpy(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fail("cannot read '" + path + "': " + buffer.getError().message());
  return parseNpy((*buffer)->getBuffer(), path);
}

std::string mlir::ein::serializeNpy(const HostArray &array) {
  std::string header = "{'descr': '";
  header += array.dtype == DType::F32 ? "<f4" : "<f8";
  header +=
      "', 'fortran_order': False, 'shape': " + array.shapeString() + ", }";
  // Pad so that the data starts at a multiple of 64 bytes.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  out += header;
  out.append(array.data.begin(), array.data.end());
  return out;
}

llvm::Error mlir::ein::writeNpyFiles(
    llvm::ArrayRef<std::pair<std::string, const HostArray *>> files) {
  llvm::SmallVector<std::string> temps;
  auto cleanup = [&] {
    for (const std::string &t : temps)
      llvm::sys::fs::remove(t);
  };
  for (const auto &[path, array] : files) {
    llvm::SmallString<256> temp;
    int fd;
    StringRef dir = llvm::sys::path::parent_path(path);
    llvm::SmallString<256> model(dir.empty() ? "." : dir);
    llvm::sys::path::append(model, ".ein-run-%%%%%%%%.npy.tmp");
    if (std::error_code ec = llvm::sys::fs::createUniqueFile(model, fd, temp)) {
      cleanup();
      return fail("cannot write '" + path + "': " + ec.message());
    }
    temps.push_back(temp.str().str());
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << serializeNpy(*array);
    os.close();
    if (os.has_error()) {
      std::string message = os.error().message();
      os.clear_error();
      cleanup();
      return fail("cannot write '" + path + "': " + message);
    }
  }
  for (auto [temp, file] : llvm::zip(temps, files)) {
    if (std::error_code ec = llvm::sys::fs::rename(temp, file.first)) {
      cleanup();
      return fail("cannot write '" + file.first + "': " + ec.message());
    }
  }
  return llvm::Error::success();
}
