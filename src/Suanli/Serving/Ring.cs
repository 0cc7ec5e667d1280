namespace Suanli.Serving;

/// <summary>A growable ring buffer with push and pop at both ends.</summary>
internal sealed class Ring<T>
    where T : struct
{
    private T[] _items = new T[64];
    private int _head;

    public int Count { get; private set; }

    public void PushBack(T value)
    {
        Grow();
        _items[(_head + Count) % _items.Length] = value;
        Count++;
    }

    public void PushFront(T value)
    {
        Grow();
        _head = (_head - 1 + _items.Length) % _items.Length;
        _items[_head] = value;
        Count++;
    }

    public T PeekFront() => _items[_head];

    public T PopFront()
    {
        var v = _items[_head];
        _head = (_head + 1) % _items.Length;
        Count--;
        return v;
    }

    private void Grow()
    {
        if (Count < _items.Length)
        {
            return;
        }
        var bigger = new T[_items.Length * 2];
        for (var i = 0; i < Count; i++)
        {
            bigger[i] = _items[(_head + i) % _items.Length];
        }
        _items = bigger;
        _head = 0;
    }
}
