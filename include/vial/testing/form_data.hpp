#ifndef VIAL_TESTING_FORM_DATA_HPP
#define VIAL_TESTING_FORM_DATA_HPP

/// @file
/// Builds a `multipart/form-data` body, as a browser sends a form with file inputs, for tests
/// of upload handlers: what `request::form()` and `request::files()` read back.
/// @par Example
/// @code
/// auto upload = vial::form_data().field("title", "Q3").file("report", "q3.csv", "a,b\n1,2\n", "text/csv");
/// auto res = client.post("/upload", upload);  // the body and its Content-Type with the boundary
/// @endcode

#include <string>
#include <string_view>
#include <vector>

namespace vial {

/// A multipart/form-data body under construction: fields and files, in order.
class form_data {
public:
    /// Adds a text field.
    /// @param name the field name
    /// @param value its value
    /// @return `*this`
    form_data& field(std::string name, std::string value) {
        parts_.push_back({std::move(name), std::move(value), {}, {}, false});
        return *this;
    }

    /// Adds a file.
    /// @param name the field name (`<input type="file" name="...">`)
    /// @param filename the file's name as the client sends it
    /// @param content the file's bytes
    /// @param content_type its media type
    /// @return `*this`
    form_data& file(std::string name, std::string filename, std::string content,
                    std::string content_type = "application/octet-stream") {
        parts_.push_back({std::move(name), std::move(content), std::move(filename), std::move(content_type), true});
        return *this;
    }

    /// @return the boundary: one that no part's bytes contain
    [[nodiscard]] std::string boundary() const {
        std::string b = "vial-form-data-boundary-7MA4YWxk";
        for (bool clash = true; clash;) {
            clash = false;
            for (const auto& p : parts_)
                if (p.content.find(b) != std::string::npos || p.name.find(b) != std::string::npos ||
                    p.filename.find(b) != std::string::npos)
                    clash = true;
            if (clash) b += "x";
        }
        return b;
    }

    /// @return the Content-Type to send: "multipart/form-data; boundary=..."
    [[nodiscard]] std::string content_type() const { return "multipart/form-data; boundary=" + boundary(); }

    /// @return the body, with CRLF line breaks; names and file names are quoted strings (`"`
    ///         and `\` escaped with a backslash, as `request::files()` reads them; CR and LF,
    ///         which cannot travel in a header, percent-encoded)
    [[nodiscard]] std::string body() const {
        const std::string b = boundary();
        std::string out;
        for (const auto& p : parts_) {
            out += "--" + b + "\r\nContent-Disposition: form-data; name=\"" + quote(p.name) + '"';
            if (p.is_file) {
                out += "; filename=\"" + quote(p.filename) + "\"\r\nContent-Type: " + p.content_type;
            }
            out += "\r\n\r\n" + p.content + "\r\n";
        }
        out += "--" + b + "--\r\n";
        return out;
    }

private:
    struct part {
        std::string name;
        std::string content;
        std::string filename;
        std::string content_type;
        bool is_file;
    };

    static std::string quote(std::string_view text) {
        std::string out;
        for (const char c : text) {
            if (c == '"' || c == '\\') out += {'\\', c};
            else if (c == '\r') out += "%0D";
            else if (c == '\n') out += "%0A";
            else out += c;
        }
        return out;
    }

    std::vector<part> parts_;
};

}  // namespace vial

#endif  // VIAL_TESTING_FORM_DATA_HPP
