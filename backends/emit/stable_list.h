// A list whose elements never move: a reference to one stays valid while others are appended,
// which is what YamlNode's set/child/push promise. std::deque gives that too, but allocates about
// 600 bytes on construction, empty or not: with two per YamlNode, every scalar of a generated
// manifest cost over a kilobyte (heaptrack: 170 MB of a 370 MB build of 100 services; issue 14).
// Here an empty list is one empty vector, and each element one allocation of its own size.
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

namespace platc::emit {

template <typename T>
class StableList {
  using Slots = std::vector<std::unique_ptr<T>>;

 public:
  template <typename Value, typename Base>
  class Iter {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = Value*;
    using reference = Value&;
    Iter() = default;
    explicit Iter(Base it) : it_(it) {}
    reference operator*() const { return **it_; }
    pointer operator->() const { return it_->get(); }
    reference operator[](difference_type n) const { return *it_[n]; }
    Iter& operator++() { return ++it_, *this; }
    Iter operator++(int) { return Iter(it_++); }
    Iter& operator--() { return --it_, *this; }
    Iter operator--(int) { return Iter(it_--); }
    Iter& operator+=(difference_type n) { return it_ += n, *this; }
    Iter& operator-=(difference_type n) { return it_ -= n, *this; }
    friend Iter operator+(Iter a, difference_type n) { return a += n; }
    friend Iter operator+(difference_type n, Iter a) { return a += n; }
    friend Iter operator-(Iter a, difference_type n) { return a -= n; }
    friend difference_type operator-(const Iter& a, const Iter& b) { return a.it_ - b.it_; }
    friend bool operator==(const Iter& a, const Iter& b) { return a.it_ == b.it_; }
    friend auto operator<=>(const Iter& a, const Iter& b) { return a.it_ <=> b.it_; }

   private:
    Base it_{};
  };
  using iterator = Iter<T, typename Slots::iterator>;
  using const_iterator = Iter<const T, typename Slots::const_iterator>;

  StableList() = default;
  StableList(StableList&&) noexcept = default;
  StableList& operator=(StableList&&) noexcept = default;
  StableList(const StableList& o) {
    slots_.reserve(o.slots_.size());
    for (const auto& p : o.slots_) slots_.push_back(std::make_unique<T>(*p));
  }
  StableList& operator=(const StableList& o) {
    if (this != &o) *this = StableList(o);
    return *this;
  }

  template <typename... Args>
  T& emplace_back(Args&&... args) {
    slots_.push_back(std::make_unique<T>(std::forward<Args>(args)...));
    return *slots_.back();
  }
  void push_back(T value) { emplace_back(std::move(value)); }

  std::size_t size() const { return slots_.size(); }
  bool empty() const { return slots_.empty(); }
  T& operator[](std::size_t k) { return *slots_[k]; }
  const T& operator[](std::size_t k) const { return *slots_[k]; }
  const T& at(std::size_t k) const {
    if (k >= slots_.size()) throw std::out_of_range("StableList::at");
    return *slots_[k];
  }
  T& front() { return *slots_.front(); }
  const T& front() const { return *slots_.front(); }
  T& back() { return *slots_.back(); }
  const T& back() const { return *slots_.back(); }
  iterator begin() { return iterator(slots_.begin()); }
  iterator end() { return iterator(slots_.end()); }
  const_iterator begin() const { return const_iterator(slots_.begin()); }
  const_iterator end() const { return const_iterator(slots_.end()); }

 private:
  Slots slots_;
};

}  // namespace platc::emit
