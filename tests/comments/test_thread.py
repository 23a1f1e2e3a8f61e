from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from rejoinder.comments.models import Comment, Commenter, CommentStatus
from rejoinder.comments.posting import delete_comment, post_comment
from rejoinder.comments.thread import page_number_of, read_thread
from rejoinder.comments.voting import vote_on_comment
from rejoinder.pages.models import CommentSort, Page


@pytest.fixture
def post(page: Page, make_reader: Callable[[], Commenter]) -> Callable[..., Comment]:
    start = timezone.now() - timedelta(days=1)
    counter = iter(range(100_000))

    def post(parent: Comment | None = None, author: Commenter | None = None) -> Comment:
        n = next(counter)
        return post_comment(
            page=page,
            author=author or make_reader(),
            name=f"Reader {n}",
            body=f"Comment {n}",
            parent_id=parent.pk if parent else None,
            created_at=start + timedelta(minutes=n),
            moderated=False,
        )

    return post


def _ids(window) -> list[int]:  # type: ignore[no-untyped-def]
    return [n.comment.pk for n in window.nodes]


def test_newest_and_oldest_order_the_top_level(page: Page, post: Callable[..., Comment]) -> None:
    a, b, c = post(), post(), post()
    assert _ids(read_thread(page=page, sort=CommentSort.NEWEST, page_size=10)) == [c.pk, b.pk, a.pk]
    assert _ids(read_thread(page=page, sort=CommentSort.OLDEST, page_size=10)) == [a.pk, b.pk, c.pk]


def test_most_voted_orders_by_the_wilson_lower_bound(
    page: Page, post: Callable[..., Comment], make_reader: Callable[[], Commenter]
) -> None:
    few, many, mixed = post(), post(), post()
    vote_on_comment(comment_id=few.pk, voter=make_reader(), value=1, ip_hash="")
    for _ in range(5):
        vote_on_comment(comment_id=many.pk, voter=make_reader(), value=1, ip_hash="")
    for value in (1, 1, 1, -1, -1, -1):
        vote_on_comment(comment_id=mixed.pk, voter=make_reader(), value=value, ip_hash="")
    assert _ids(read_thread(page=page, sort=CommentSort.BEST, page_size=10)) == [
        many.pk,
        few.pk,
        mixed.pk,
    ]


def test_replies_come_with_their_top_level_comment_in_time_order(
    page: Page, post: Callable[..., Comment]
) -> None:
    top = post()
    r1 = post(top)
    r2 = post(top)
    r11 = post(r1)
    window = read_thread(page=page, sort=CommentSort.NEWEST, page_size=10)
    (node,) = window.nodes
    assert [n.comment.pk for n in node.replies] == [r1.pk, r2.pk]
    assert [n.comment.pk for n in node.replies[0].replies] == [r11.pk]


def test_paging_splits_top_level_comments_and_says_when_more_follow(
    page: Page, post: Callable[..., Comment]
) -> None:
    tops = [post() for _ in range(5)]
    first = read_thread(page=page, sort=CommentSort.OLDEST, page_number=1, page_size=2)
    last = read_thread(page=page, sort=CommentSort.OLDEST, page_number=3, page_size=2)
    assert _ids(first) == [tops[0].pk, tops[1].pk]
    assert first.has_next
    assert _ids(last) == [tops[4].pk]
    assert not last.has_next


def test_the_whole_thread_loads_when_no_page_size_is_given(
    page: Page, post: Callable[..., Comment]
) -> None:
    tops = [post() for _ in range(30)]
    post(tops[0])
    window = read_thread(page=page, sort=CommentSort.OLDEST, page_size=None)
    assert len(window.nodes) == 30
    assert len(window.comments()) == 31


def test_a_removed_comment_stays_as_a_placeholder_only_while_it_has_replies(
    page: Page, post: Callable[..., Comment], make_reader: Callable[[], Commenter]
) -> None:
    author = make_reader()
    top = post(author=author)
    reply = post(top)
    lonely = post()
    Comment.objects.filter(pk=lonely.pk).update(status=CommentStatus.REMOVED)
    delete_comment(comment_id=top.pk, requester=author)
    window = read_thread(page=page, sort=CommentSort.OLDEST, page_size=10)
    assert _ids(window) == [top.pk]
    assert window.nodes[0].comment.status == CommentStatus.REMOVED
    assert window.nodes[0].replies[0].comment.pk == reply.pk


def test_pending_and_spam_comments_are_not_shown(page: Page, post: Callable[..., Comment]) -> None:
    shown, pending, spam = post(), post(), post()
    Comment.objects.filter(pk=pending.pk).update(status=CommentStatus.PENDING)
    Comment.objects.filter(pk=spam.pk).update(status=CommentStatus.SPAM)
    assert _ids(read_thread(page=page, sort=CommentSort.OLDEST, page_size=10)) == [shown.pk]


@pytest.mark.parametrize("size", [5, 60])
def test_reading_a_thread_takes_the_same_queries_whatever_its_size(
    page: Page,
    post: Callable[..., Comment],
    django_assert_num_queries,
    size: int,  # type: ignore[no-untyped-def]
) -> None:
    for _ in range(size):
        post(post(post()))
    with django_assert_num_queries(2):
        window = read_thread(page=page, sort=CommentSort.NEWEST, page_size=20)
        window.comments()
    with django_assert_num_queries(2):
        read_thread(page=page, sort=CommentSort.BEST, page_size=None)


@pytest.mark.parametrize("sort", list(CommentSort))
def test_a_comment_is_located_on_the_page_that_shows_its_thread(
    page: Page, post: Callable[..., Comment], sort: CommentSort
) -> None:
    tops = [post() for _ in range(7)]
    reply = post(tops[1])
    number = page_number_of(reply, sort=sort, page_size=3)
    window = read_thread(page=page, sort=sort, page_number=number, page_size=3)
    assert tops[1].pk in _ids(window)


def test_a_cursor_resumes_after_the_last_comment_shown_even_when_the_thread_changes(
    page: Page, post: Callable[..., Comment], make_reader: Callable[[], Commenter]
) -> None:
    from rejoinder.comments.thread import decode_cursor

    author = make_reader()
    tops = [post(author=author) for _ in range(7)]
    first = read_thread(page=page, sort=CommentSort.OLDEST, page_size=5)
    assert _ids(first) == [c.pk for c in tops[:5]]
    delete_comment(comment_id=tops[1].pk, requester=author)
    newcomer = post()
    cursor = decode_cursor(first.next_cursor)  # type: ignore[arg-type]
    second = read_thread(page=page, sort=CommentSort.OLDEST, page_size=5, after=cursor)
    assert _ids(second) == [tops[5].pk, tops[6].pk, newcomer.pk]
    assert second.next_cursor is None


@pytest.mark.parametrize(
    "cursor", ["", "abc", "1.2", "1.x.0.5", "1.2.nan", "1.99999999999999999999.0"]
)
def test_a_malformed_cursor_is_a_clear_error(cursor: str) -> None:
    from rejoinder.comments.thread import decode_cursor
    from rejoinder.errors import InvalidInput

    with pytest.raises(InvalidInput, match="cursor"):
        decode_cursor(cursor)
