#include "pipeline/memory_budget.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/system/system_error.hpp>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/loop_thread.hpp"

namespace lc {
namespace {

namespace asio = boost::asio;
using testing::eventually;
using testing::LoopThread;

// Starts acquire(bytes) on `context`; `granted` receives `name` once it completes.
std::future<void> spawn_acquire(asio::io_context& context, MemoryBudget& budget,
                                std::uint64_t bytes, std::vector<std::string>* granted = nullptr,
                                std::string name = {}) {
  return asio::co_spawn(
      context,
      [&budget, bytes, granted, name]() -> asio::awaitable<void> {
        co_await budget.acquire(bytes);
        if (granted) granted->push_back(name);
      },
      asio::use_future);
}

// Starts wait_below(threshold) on `context`.
std::future<void> spawn_wait_below(asio::io_context& context, MemoryBudget& budget,
                                   std::uint64_t threshold) {
  return asio::co_spawn(
      context,
      [&budget, threshold]() -> asio::awaitable<void> { co_await budget.wait_below(threshold); },
      asio::use_future);
}

// Runs what is ready; restart() because poll() leaves the context stopped once it runs dry.
void run_ready(asio::io_context& context) {
  context.restart();
  context.poll();
}

bool is_ready(std::future<void>& future) {
  return future.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

TEST(MemoryBudget, GrantsAtOnceWhileTheRequestFits) {
  asio::io_context context;
  MemoryBudget budget(100);
  auto first = spawn_acquire(context, budget, 30);
  auto second = spawn_acquire(context, budget, 70);
  run_ready(context);
  ASSERT_TRUE(is_ready(first));
  ASSERT_TRUE(is_ready(second));
  first.get();
  second.get();
  EXPECT_EQ(budget.in_use(), 100u);
  EXPECT_EQ(budget.limit(), 100u);
  EXPECT_EQ(budget.waiting(), 0u);
}

TEST(MemoryBudget, WaitsWhenFullAndResumesOnRelease) {
  asio::io_context context;
  MemoryBudget budget(100);
  auto first = spawn_acquire(context, budget, 80);
  auto second = spawn_acquire(context, budget, 30);
  run_ready(context);
  ASSERT_TRUE(is_ready(first));
  EXPECT_FALSE(is_ready(second));
  EXPECT_EQ(budget.waiting(), 1u);
  EXPECT_EQ(budget.in_use(), 80u);

  budget.release(10);  // 70 + 30 fits
  run_ready(context);
  ASSERT_TRUE(is_ready(second));
  second.get();
  EXPECT_EQ(budget.in_use(), 100u);
  EXPECT_EQ(budget.waiting(), 0u);
}

// A reload raises or lowers the bound: a raise lets waiters in at once, a cut holds the next
// acquires back while what is reserved stays.
TEST(MemoryBudget, ANewLimitAppliesAtOnce) {
  asio::io_context context;
  MemoryBudget budget(100);
  auto first = spawn_acquire(context, budget, 80);
  auto second = spawn_acquire(context, budget, 30);
  run_ready(context);
  ASSERT_FALSE(is_ready(second));
  budget.set_limit(110);
  run_ready(context);
  ASSERT_TRUE(is_ready(second));
  EXPECT_EQ(budget.in_use(), 110u);
  budget.set_limit(50);
  auto third = spawn_acquire(context, budget, 10);
  run_ready(context);
  EXPECT_FALSE(is_ready(third));
  budget.release(80);  // 30 + 10 fits under 50
  run_ready(context);
  EXPECT_TRUE(is_ready(third));
  EXPECT_EQ(budget.limit(), 50u);
}

TEST(MemoryBudget, GrantsInArrivalOrderEvenWhenALaterRequestWouldFit) {
  asio::io_context context;
  MemoryBudget budget(100);
  std::vector<std::string> granted;
  auto holder = spawn_acquire(context, budget, 60, &granted, "holder");
  run_ready(context);
  auto big = spawn_acquire(context, budget, 50, &granted, "big");
  run_ready(context);
  auto small = spawn_acquire(context, budget, 10, &granted, "small");  // fits, but big is first
  run_ready(context);
  EXPECT_EQ(granted, (std::vector<std::string>{"holder"}));
  EXPECT_EQ(budget.waiting(), 2u);
  EXPECT_EQ(budget.in_use(), 60u);

  budget.release(60);
  run_ready(context);
  EXPECT_EQ(granted, (std::vector<std::string>{"holder", "big", "small"}));
  EXPECT_EQ(budget.in_use(), 60u);
  EXPECT_EQ(budget.waiting(), 0u);
  big.get();
  small.get();
}

TEST(MemoryBudget, ReleaseGrantsOnlyWhatFitsAndKeepsTheRest) {
  asio::io_context context;
  MemoryBudget budget(100);
  std::vector<std::string> granted;
  auto holder = spawn_acquire(context, budget, 100);
  run_ready(context);
  auto a = spawn_acquire(context, budget, 40, &granted, "a");
  auto b = spawn_acquire(context, budget, 40, &granted, "b");
  auto c = spawn_acquire(context, budget, 40, &granted, "c");
  run_ready(context);
  budget.release(100);  // a and b fit (80), c does not (120)
  run_ready(context);
  EXPECT_EQ(granted, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(budget.in_use(), 80u);
  EXPECT_EQ(budget.waiting(), 1u);
  budget.release(40);
  run_ready(context);
  EXPECT_EQ(granted, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(budget.in_use(), 80u);
}

TEST(MemoryBudget, AdmitsAnOversizeRequestOnlyWhenNothingIsReserved) {
  asio::io_context context;
  MemoryBudget budget(100);
  auto small = spawn_acquire(context, budget, 10);
  run_ready(context);
  auto huge = spawn_acquire(context, budget, 500);
  run_ready(context);
  EXPECT_FALSE(is_ready(huge));  // 10 + 500 > 100 and the budget is not empty

  budget.release(10);
  run_ready(context);
  ASSERT_TRUE(is_ready(huge));
  huge.get();
  EXPECT_EQ(budget.in_use(), 500u);

  auto next = spawn_acquire(context, budget, 1);  // over the limit: waits for the huge one
  run_ready(context);
  EXPECT_FALSE(is_ready(next));
  budget.release(500);
  run_ready(context);
  ASSERT_TRUE(is_ready(next));
  next.get();
  EXPECT_EQ(budget.in_use(), 1u);
}

TEST(MemoryBudget, AnOversizeRequestOnAnEmptyBudgetIsGrantedAtOnce) {
  asio::io_context context;
  MemoryBudget budget(100);
  auto huge = spawn_acquire(context, budget, 1'000'000);
  run_ready(context);
  ASSERT_TRUE(is_ready(huge));
  huge.get();
  EXPECT_EQ(budget.in_use(), 1'000'000u);
}

TEST(MemoryBudget, CancelWaitersFailsPendingAcquiresWithOperationAborted) {
  asio::io_context context;
  MemoryBudget budget(100);
  auto holder = spawn_acquire(context, budget, 100);
  auto first = spawn_acquire(context, budget, 10);
  auto second = spawn_acquire(context, budget, 20);
  run_ready(context);
  ASSERT_EQ(budget.waiting(), 2u);

  budget.cancel_waiters();
  run_ready(context);
  for (auto* waiter : {&first, &second}) {
    ASSERT_TRUE(is_ready(*waiter));
    try {
      waiter->get();
      ADD_FAILURE() << "a cancelled acquire completed normally";
    } catch (const boost::system::system_error& e) {
      EXPECT_EQ(e.code(), asio::error::operation_aborted);
    }
  }
  EXPECT_EQ(budget.waiting(), 0u);
  EXPECT_EQ(budget.in_use(), 100u);  // cancelled requests reserved nothing

  // Later acquires still work.
  budget.release(100);
  auto later = spawn_acquire(context, budget, 50);
  run_ready(context);
  ASSERT_TRUE(is_ready(later));
  later.get();
  EXPECT_EQ(budget.in_use(), 50u);
}

TEST(MemoryBudget, WaitBelowCompletesAtOnceUnderTheThresholdAndReservesNothing) {
  asio::io_context context;
  MemoryBudget budget(100);
  auto holder = spawn_acquire(context, budget, 30);
  auto reader = spawn_wait_below(context, budget, 40);
  run_ready(context);
  ASSERT_TRUE(is_ready(reader));
  reader.get();
  EXPECT_EQ(budget.in_use(), 30u);
  EXPECT_EQ(budget.waiting(), 0u);
}

TEST(MemoryBudget, WaitBelowWaitsUntilReleasesBringUseUnderTheThreshold) {
  asio::io_context context;
  MemoryBudget budget(100);
  auto holder = spawn_acquire(context, budget, 50);
  auto reader = spawn_wait_below(context, budget, 20);
  run_ready(context);
  EXPECT_FALSE(is_ready(reader));
  EXPECT_EQ(budget.waiting(), 1u);

  budget.release(30);  // 20 left: not below 20
  run_ready(context);
  EXPECT_FALSE(is_ready(reader));
  budget.release(1);  // 19
  run_ready(context);
  ASSERT_TRUE(is_ready(reader));
  reader.get();
  EXPECT_EQ(budget.in_use(), 19u);
  EXPECT_EQ(budget.waiting(), 0u);
}

TEST(MemoryBudget, WaitBelowDoesNotHoldUpAcquiresThatFit) {
  asio::io_context context;
  MemoryBudget budget(100);
  auto holder = spawn_acquire(context, budget, 50);
  auto reader = spawn_wait_below(context, budget, 10);
  auto stream = spawn_acquire(context, budget, 40);  // a stream's records still fit the bound
  run_ready(context);
  EXPECT_FALSE(is_ready(reader));
  ASSERT_TRUE(is_ready(stream));
  stream.get();
  EXPECT_EQ(budget.in_use(), 90u);
}

TEST(MemoryBudget, CancelWaitersAlsoFailsWaitBelow) {
  asio::io_context context;
  MemoryBudget budget(100);
  auto holder = spawn_acquire(context, budget, 50);
  auto reader = spawn_wait_below(context, budget, 10);
  run_ready(context);
  budget.close();
  run_ready(context);
  ASSERT_TRUE(is_ready(reader));
  EXPECT_THROW(reader.get(), boost::system::system_error);
  auto after_close = spawn_wait_below(context, budget, 1'000);
  run_ready(context);
  ASSERT_TRUE(is_ready(after_close));
  EXPECT_THROW(after_close.get(), boost::system::system_error);
}

TEST(MemoryBudget, ReleasingMoreThanReservedClampsToZero) {
  MemoryBudget budget(100);
  budget.release(5);
  EXPECT_EQ(budget.in_use(), 0u);
}

TEST(MemoryBudget, WaiterResumesOnItsOwnThreadWhenAnotherThreadReleases) {
  LoopThread input;  // acquires, as the inputs do
  LoopThread sink;   // releases, as the delivery loop does
  MemoryBudget budget(100);
  std::atomic<int> granted{0};
  std::promise<std::thread::id> resumed_on;
  auto resumed = resumed_on.get_future();

  asio::co_spawn(
      input.context(),
      [&]() -> asio::awaitable<void> {
        co_await budget.acquire(100);
        ++granted;
        co_await budget.acquire(60);  // waits for the sink thread
        ++granted;
        resumed_on.set_value(std::this_thread::get_id());
      },
      asio::detached);

  ASSERT_TRUE(eventually([&] { return granted == 1 && budget.waiting() == 1; }));
  EXPECT_EQ(budget.in_use(), 100u);
  sink.call([&] {
    budget.release(100);
    return 0;
  });
  ASSERT_EQ(resumed.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(resumed.get(), input.id());
  EXPECT_EQ(granted, 2);
  EXPECT_EQ(budget.in_use(), 60u);
}

TEST(MemoryBudget, ManyAcquirersAndAReleaserOnAnotherThreadNeverExceedTheLimit) {
  LoopThread input;
  LoopThread sink;
  constexpr std::uint64_t kLimit = 1000;
  constexpr int kTasks = 8;
  constexpr int kRounds = 200;
  MemoryBudget budget(kLimit);
  std::atomic<std::uint64_t> peak{0};
  std::atomic<int> done{0};

  for (int task = 0; task < kTasks; ++task) {
    asio::co_spawn(
        input.context(),
        [&, task]() -> asio::awaitable<void> {
          for (int round = 0; round < kRounds; ++round) {
            const std::uint64_t bytes = 100 + static_cast<std::uint64_t>((task * 37 + round) % 200);
            co_await budget.acquire(bytes);
            const std::uint64_t now = budget.in_use();
            for (std::uint64_t seen = peak.load();
                 now > seen && !peak.compare_exchange_weak(seen, now);) {
            }
            // The "sink" gives the bytes back later, from its own thread.
            asio::post(sink.context(), [&budget, bytes] { budget.release(bytes); });
          }
          ++done;
        },
        asio::detached);
  }
  ASSERT_TRUE(eventually([&] { return done == kTasks; }, std::chrono::seconds(30)));
  ASSERT_TRUE(eventually([&] { return budget.in_use() == 0; }));
  EXPECT_LE(peak.load(), kLimit);
  EXPECT_EQ(budget.waiting(), 0u);
}

TEST(MemoryBudget, CloseFailsPendingAndLaterAcquires) {
  asio::io_context context;
  MemoryBudget budget(100);
  auto holder = spawn_acquire(context, budget, 100);
  auto pending = spawn_acquire(context, budget, 10);
  run_ready(context);
  budget.close();
  auto later = spawn_acquire(context, budget, 1);
  run_ready(context);
  ASSERT_TRUE(is_ready(pending));
  ASSERT_TRUE(is_ready(later));
  EXPECT_THROW(pending.get(), boost::system::system_error);
  EXPECT_THROW(later.get(), boost::system::system_error);
  EXPECT_EQ(budget.in_use(), 100u);
  EXPECT_EQ(budget.waiting(), 0u);
}

}  // namespace
}  // namespace lc
