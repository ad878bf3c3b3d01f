#pragma once

namespace lc {

// The options of one component type (a sink's, a processor's): each type's folder has an
// options struct deriving from OptionsOf<itself>. The configuration holds them behind this
// base so that it needs no component's header.
class ComponentOptions {
 public:
  virtual ~ComponentOptions() = default;
  // Whether `other` is of the same type with the same values (the reload diff).
  virtual bool equals(const ComponentOptions& other) const = 0;
};

// equals() from the options struct's own (defaulted) operator==.
template <typename Derived>
class OptionsOf : public ComponentOptions {
 public:
  bool equals(const ComponentOptions& other) const override {
    const auto* same = dynamic_cast<const Derived*>(&other);
    return same != nullptr && *same == static_cast<const Derived&>(*this);
  }
  bool operator==(const OptionsOf&) const { return true; }
};

// Whether two held options are equal (both absent counts as equal).
template <typename Pointer>
bool same_options(const Pointer& a, const Pointer& b) {
  return a == b || (a != nullptr && b != nullptr && a->equals(*b));
}

}  // namespace lc
