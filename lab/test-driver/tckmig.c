// SPDX-License-Identifier: GPL-2.0
/*
 * tckmig: a test driver for the vfio-tck kernel lab, in the spirit of the
 * kernel's own test modules. It registers an mdev parent "tckmig" whose
 * devices implement the VFIO migration and DMA logging ops through the real
 * VFIO core, so that the core's decisions (the arc path of every SET, the
 * feature ioctl checks, the iova_bitmap report walk) meet the suite.
 *
 * One mdev type per migration flag set: tckmig-1 (STOP_COPY), tckmig-3
 * (STOP_COPY|P2P), tckmig-5 (STOP_COPY|PRE_COPY), tckmig-7 (all three).
 *
 * Test hooks, in the mdev's directory (/sys/bus/mdev/devices/<uuid>/tckmig/):
 *   arcs  read: the single arcs performed since the last read, one
 *         "<from> <to>" line each, oldest first; reading clears them.
 *   dma   write "<iova in hex> <data in hex> [p]": the device writes the bytes
 *         at the IOVA with vfio_dma_rw ("p" marks peer-to-peer DMA). An empty
 *         data field only tells that the device does DMA.
 *
 * The driver's own choices (a profile, not the uAPI): the stream is a 16-byte
 * header then 64 bytes of device state (header alone in pre-copy); a stopped
 * device drops DMA requests, a P2P-quiesced one drops peer-to-peer ones;
 * dirty pages are tracked at 4 KiB; a second DMA_LOGGING_START without STOP is
 * refused with EINVAL; VFIO_DEVICE_RESET returns to RUNNING.
 */
#include <linux/anon_inodes.h>
#include <linux/device.h>
#include <linux/file.h>
#include <linux/interval_tree.h>
#include <linux/iova_bitmap.h>
#include <linux/mdev.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vfio.h>
#include <linux/version.h>

/*
 * The lab builds two releases (6.12 and 6.1). Where the uAPI has a macro for
 * a feature, its presence decides: VFIO_MIG_GET_PRECOPY_INFO for pre-copy
 * (the PRE_COPY flag, its states and its ioctl), VFIO_DEVICE_FEATURE_MIG_DATA_SIZE
 * for the data size op. What only the in-kernel API tells apart (iommufd's
 * emulated ops, the range merging helper, the class_create() arguments) is
 * decided by TCKMIG_LAB_6_1: the 6.1 lab kernel has none of them.
 */
#define TCKMIG_LAB_6_1 (LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0))

#define TCKMIG_NAME "tckmig"
#define TCKMIG_MAX_INSTANCES 16
#define TCKMIG_CONFIG_INDEX VFIO_PCI_CONFIG_REGION_INDEX
#define TCKMIG_OFFSET_SHIFT 40
#define TCKMIG_MAGIC 0x31474d4b43544656ULL /* "VFTCKMG1" */
#define TCKMIG_HEADER 16
#define TCKMIG_STATE 64
#define TCKMIG_STREAM (TCKMIG_HEADER + TCKMIG_STATE)
#define TCKMIG_MAX_ARCS 256
#define TCKMIG_MAX_DIRTY 1024
#define TCKMIG_MAX_LOG_RANGES 64
#define TCKMIG_LOG_PAGE 4096UL

struct tckmig_type {
	struct mdev_type type;
	u32 flags;
};

struct tckmig_dev;

struct tckmig_file {
	struct file *filp;
	struct tckmig_dev *dev; /* valid while not disabled: close_device disables */
	struct mutex lock;
	bool disabled;
	size_t filled;
	u8 data[TCKMIG_STREAM];
};

struct tckmig_dev {
	struct vfio_device vdev;
	struct mutex state_mutex; /* state, files, arcs, logging */
	enum vfio_device_mig_state state;
	struct tckmig_file *saving, *resuming;
	u8 config[256];
	u8 regs[TCKMIG_STATE];
	u32 arcs[TCKMIG_MAX_ARCS][2];
	unsigned int nr_arcs;
	bool logging;
	unsigned int nr_ranges;
	struct { unsigned long start, last; } ranges[TCKMIG_MAX_LOG_RANGES];
	unsigned int nr_dirty;
	unsigned long dirty[TCKMIG_MAX_DIRTY]; /* IOVAs of dirty 4 KiB pages */
};

/* The mdev core names each type "<parent driver>-<sysfs_name>": tckmig-1 and so on. */
static struct tckmig_type tckmig_types[] = {
	{ .type = { .sysfs_name = "1", .pretty_name = "STOP_COPY" },
	  .flags = VFIO_MIGRATION_STOP_COPY },
	{ .type = { .sysfs_name = "3", .pretty_name = "STOP_COPY+P2P" },
	  .flags = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P },
#ifdef VFIO_MIG_GET_PRECOPY_INFO
	{ .type = { .sysfs_name = "5", .pretty_name = "STOP_COPY+PRE_COPY" },
	  .flags = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_PRE_COPY },
	{ .type = { .sysfs_name = "7", .pretty_name = "STOP_COPY+P2P+PRE_COPY" },
	  .flags = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P | VFIO_MIGRATION_PRE_COPY },
#endif
};
static struct mdev_type *tckmig_type_list[] = {
	&tckmig_types[0].type, &tckmig_types[1].type,
#ifdef VFIO_MIG_GET_PRECOPY_INFO
	&tckmig_types[2].type, &tckmig_types[3].type,
#endif
};

static struct {
	struct class *class;
	struct device dev;
	struct mdev_parent parent;
} tckmig_parent;

static struct tckmig_dev *to_tckmig(struct vfio_device *vdev)
{
	return container_of(vdev, struct tckmig_dev, vdev);
}

/* --- migration data files ------------------------------------------------ */

static void tckmig_disable(struct tckmig_file *f)
{
	mutex_lock(&f->lock);
	f->disabled = true;
	mutex_unlock(&f->lock);
}

/* Ends both transfers: their fds answer ENODEV from now on. */
static void tckmig_drop_files(struct tckmig_dev *t)
{
	if (t->saving) {
		tckmig_disable(t->saving);
		fput(t->saving->filp);
		t->saving = NULL;
	}
	if (t->resuming) {
		tckmig_disable(t->resuming);
		fput(t->resuming->filp);
		t->resuming = NULL;
	}
}

static int tckmig_release_file(struct inode *inode, struct file *filp)
{
	struct tckmig_file *f = filp->private_data;

	mutex_destroy(&f->lock);
	kfree(f);
	return 0;
}

static bool tckmig_precopy(enum vfio_device_mig_state s)
{
#ifdef VFIO_MIG_GET_PRECOPY_INFO
	return s == VFIO_DEVICE_STATE_PRE_COPY || s == VFIO_DEVICE_STATE_PRE_COPY_P2P;
#else
	return false; /* no pre-copy states in this uAPI */
#endif
}

static bool tckmig_precopy_p2p(enum vfio_device_mig_state s)
{
#ifdef VFIO_MIG_GET_PRECOPY_INFO
	return s == VFIO_DEVICE_STATE_PRE_COPY_P2P;
#else
	return false;
#endif
}

static ssize_t tckmig_save_read(struct file *filp, char __user *buf, size_t len, loff_t *pos)
{
	struct tckmig_file *f = filp->private_data;
	ssize_t ret;

	if (pos)
		return -ESPIPE;
	pos = &filp->f_pos;
	mutex_lock(&f->lock);
	if (f->disabled) {
		ret = -ENODEV;
	} else if (*pos >= f->filled) {
		/* Nothing now: a temporary end in pre-copy, the end in STOP_COPY. */
		ret = f->filled < TCKMIG_STREAM && tckmig_precopy(READ_ONCE(f->dev->state)) ? -ENOMSG : 0;
	} else {
		len = min_t(size_t, f->filled - *pos, len);
		ret = copy_to_user(buf, f->data + *pos, len) ? -EFAULT : len;
		if (ret > 0)
			*pos += len;
	}
	mutex_unlock(&f->lock);
	return ret;
}

#ifdef VFIO_MIG_GET_PRECOPY_INFO
static long tckmig_save_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct tckmig_file *f = filp->private_data;
	unsigned long minsz = offsetofend(struct vfio_precopy_info, dirty_bytes);
	struct vfio_precopy_info info = {};
	int ret = 0;

	if (cmd != VFIO_MIG_GET_PRECOPY_INFO)
		return -ENOTTY;
	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	/* Only in a pre-copy state; an ended transfer is in none. */
	mutex_lock(&f->lock);
	if (f->disabled || !tckmig_precopy(READ_ONCE(f->dev->state)))
		ret = -EINVAL;
	else
		info.initial_bytes = f->filled > filp->f_pos ? f->filled - filp->f_pos : 0;
	mutex_unlock(&f->lock);
	if (ret)
		return ret;
	info.dirty_bytes = 0;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}
#else
static long tckmig_save_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	return -ENOTTY; /* the saving fd has no ioctl in this uAPI */
}
#endif

static ssize_t tckmig_resume_write(struct file *filp, const char __user *buf, size_t len, loff_t *pos)
{
	struct tckmig_file *f = filp->private_data;
	ssize_t ret;

	if (pos)
		return -ESPIPE;
	pos = &filp->f_pos;
	mutex_lock(&f->lock);
	if (f->disabled)
		ret = -ENODEV;
	else if (*pos + len > TCKMIG_STREAM)
		ret = -EINVAL; /* longer than any stream of this device */
	else if (copy_from_user(f->data + *pos, buf, len))
		ret = -EFAULT;
	else {
		*pos += len;
		f->filled = *pos;
		ret = len;
	}
	mutex_unlock(&f->lock);
	return ret;
}

static const struct file_operations tckmig_save_fops = {
	.owner = THIS_MODULE,
	.read = tckmig_save_read,
	.unlocked_ioctl = tckmig_save_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.release = tckmig_release_file,
};

static const struct file_operations tckmig_resume_fops = {
	.owner = THIS_MODULE,
	.write = tckmig_resume_write,
	.release = tckmig_release_file,
};

static struct tckmig_file *tckmig_new_file(struct tckmig_dev *t, bool saving)
{
	struct tckmig_file *f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);

	if (!f)
		return ERR_PTR(-ENOMEM);
	f->filp = anon_inode_getfile("tckmig_mig", saving ? &tckmig_save_fops : &tckmig_resume_fops,
				     f, saving ? O_RDONLY : O_WRONLY);
	if (IS_ERR(f->filp)) {
		struct file *err = f->filp;

		kfree(f);
		return ERR_CAST(err);
	}
	stream_open(f->filp->f_inode, f->filp);
	mutex_init(&f->lock);
	f->dev = t;
	return f;
}

static void tckmig_header(struct tckmig_dev *t, u8 *out)
{
	u64 magic = TCKMIG_MAGIC;
	u32 version = 1;

	memcpy(out, &magic, 8);
	memcpy(out + 8, &version, 4);
	memcpy(out + 12, &t->vdev.migration_flags, 4);
}

/* The device state after the header: the stream is then complete. */
static void tckmig_append_state(struct tckmig_file *f, struct tckmig_dev *t)
{
	mutex_lock(&f->lock);
	memcpy(f->data + TCKMIG_HEADER, t->regs, TCKMIG_STATE);
	f->filled = TCKMIG_STREAM;
	mutex_unlock(&f->lock);
}

static int tckmig_load(struct tckmig_dev *t)
{
	struct tckmig_file *f = t->resuming;
	u8 header[TCKMIG_HEADER];
	int ret = 0;

	tckmig_header(t, header);
	mutex_lock(&f->lock);
	if (f->filled != TCKMIG_STREAM || memcmp(f->data, header, TCKMIG_HEADER))
		ret = -EINVAL;
	else
		memcpy(t->regs, f->data + TCKMIG_HEADER, TCKMIG_STATE);
	mutex_unlock(&f->lock);
	return ret;
}

/* --- migration ops -------------------------------------------------------- */

/* One arc the core chose. Returns a new data file, NULL, or an error. */
static struct file *tckmig_arc(struct tckmig_dev *t, enum vfio_device_mig_state to)
{
	enum vfio_device_mig_state from = t->state;
	struct tckmig_file *f;

	if (to == VFIO_DEVICE_STATE_STOP_COPY && tckmig_precopy(from) && t->saving) {
		tckmig_append_state(t->saving, t);
		return NULL; /* the pre-copy fd carries on */
	}
	if (to == VFIO_DEVICE_STATE_STOP_COPY || tckmig_precopy(to)) {
		if (tckmig_precopy(from))
			return NULL; /* PRE_COPY <-> PRE_COPY_P2P */
		f = tckmig_new_file(t, true);
		if (IS_ERR(f))
			return ERR_CAST(f);
		tckmig_header(t, f->data);
		f->filled = TCKMIG_HEADER;
		if (to == VFIO_DEVICE_STATE_STOP_COPY)
			tckmig_append_state(f, t);
		t->saving = f;
		get_file(f->filp);
		return f->filp;
	}
	if (to == VFIO_DEVICE_STATE_RESUMING) {
		f = tckmig_new_file(t, false);
		if (IS_ERR(f))
			return ERR_CAST(f);
		t->resuming = f;
		get_file(f->filp);
		return f->filp;
	}
	if (from == VFIO_DEVICE_STATE_RESUMING) {
		int ret = tckmig_load(t);

		if (ret)
			return ERR_PTR(ret);
	}
	/* Leaving a transfer state ends its transfer. */
	if (from == VFIO_DEVICE_STATE_RESUMING || from == VFIO_DEVICE_STATE_STOP_COPY ||
	    (tckmig_precopy(from) && !tckmig_precopy(to)))
		tckmig_drop_files(t);
	return NULL;
}

static struct file *tckmig_set_state(struct vfio_device *vdev, enum vfio_device_mig_state target)
{
	struct tckmig_dev *t = to_tckmig(vdev);
	struct file *ret = NULL;

	mutex_lock(&t->state_mutex);
	while (t->state != target) {
		enum vfio_device_mig_state next;
		int rc = vfio_mig_get_next_state(vdev, t->state, target, &next);

		if (rc) {
			ret = ERR_PTR(rc);
			break;
		}
		ret = tckmig_arc(t, next);
		if (IS_ERR(ret))
			break;
		if (t->nr_arcs < TCKMIG_MAX_ARCS) {
			t->arcs[t->nr_arcs][0] = t->state;
			t->arcs[t->nr_arcs][1] = next;
			t->nr_arcs++;
		}
		t->state = next;
		/* Only the last arc of a path may open a transfer. */
		if (WARN_ON(ret && next != target)) {
			fput(ret);
			ret = ERR_PTR(-EINVAL);
			break;
		}
	}
	mutex_unlock(&t->state_mutex);
	return ret;
}

static int tckmig_get_state(struct vfio_device *vdev, enum vfio_device_mig_state *state)
{
	struct tckmig_dev *t = to_tckmig(vdev);

	mutex_lock(&t->state_mutex);
	*state = t->state;
	mutex_unlock(&t->state_mutex);
	return 0;
}

#ifdef VFIO_DEVICE_FEATURE_MIG_DATA_SIZE
static int tckmig_get_data_size(struct vfio_device *vdev, unsigned long *length)
{
	*length = TCKMIG_STREAM;
	return 0;
}
#endif

static const struct vfio_migration_ops tckmig_mig_ops = {
	.migration_set_state = tckmig_set_state,
	.migration_get_state = tckmig_get_state,
#ifdef VFIO_DEVICE_FEATURE_MIG_DATA_SIZE
	.migration_get_data_size = tckmig_get_data_size,
#endif
};

/* --- DMA logging ops ------------------------------------------------------ */

static int tckmig_log_start(struct vfio_device *vdev, struct rb_root_cached *ranges,
			    u32 nnodes, u64 *page_size)
{
	struct tckmig_dev *t = to_tckmig(vdev);
	struct interval_tree_node *node;
	int ret = 0;

	mutex_lock(&t->state_mutex);
	if (t->logging) {
		ret = -EINVAL;
		goto out;
	}
	/* The core promises every driver a page's worth of ranges: more than the
	 * device tracks are merged, closing the smallest gaps first. */
#if !TCKMIG_LAB_6_1
	if (nnodes > TCKMIG_MAX_LOG_RANGES)
		vfio_combine_iova_ranges(ranges, nnodes, TCKMIG_MAX_LOG_RANGES);
	t->nr_ranges = 0;
	for (node = interval_tree_iter_first(ranges, 0, ULONG_MAX); node;
	     node = interval_tree_iter_next(node, 0, ULONG_MAX)) {
		if (t->nr_ranges == TCKMIG_MAX_LOG_RANGES) {
			ret = -E2BIG;
			goto out;
		}
		t->ranges[t->nr_ranges].start = node->start;
		t->ranges[t->nr_ranges].last = node->last;
		t->nr_ranges++;
	}
#else
	/* 6.1 has no merging helper: the ranges, in order, go to a scratch list
	 * in which the two neighbours with the smallest gap become one until
	 * the device's number is left. */
	{
		struct { unsigned long start, last; } *all;
		u32 n = 0, i, best;

		all = kcalloc(nnodes, sizeof(*all), GFP_KERNEL);
		if (!all) {
			ret = -ENOMEM;
			goto out;
		}
		for (node = interval_tree_iter_first(ranges, 0, ULONG_MAX); node && n < nnodes;
		     node = interval_tree_iter_next(node, 0, ULONG_MAX)) {
			all[n].start = node->start;
			all[n].last = node->last;
			n++;
		}
		while (n > TCKMIG_MAX_LOG_RANGES) {
			best = 0;
			for (i = 1; i + 1 < n; i++)
				if (all[i + 1].start - all[i].last < all[best + 1].start - all[best].last)
					best = i;
			all[best].last = all[best + 1].last;
			memmove(&all[best + 1], &all[best + 2], (n - best - 2) * sizeof(*all));
			n--;
		}
		for (i = 0; i < n; i++) {
			t->ranges[i].start = all[i].start;
			t->ranges[i].last = all[i].last;
		}
		t->nr_ranges = n;
		kfree(all);
	}
#endif
	t->nr_dirty = 0;
	t->logging = true;
	*page_size = TCKMIG_LOG_PAGE;
out:
	mutex_unlock(&t->state_mutex);
	return ret;
}

static int tckmig_log_stop(struct vfio_device *vdev)
{
	struct tckmig_dev *t = to_tckmig(vdev);

	mutex_lock(&t->state_mutex);
	t->logging = false;
	t->nr_dirty = 0;
	mutex_unlock(&t->state_mutex);
	return 0;
}

/* Called by the core's iova_bitmap walk for each window of a report. */
static int tckmig_log_read_and_clear(struct vfio_device *vdev, unsigned long iova,
				     unsigned long length, struct iova_bitmap *dirty)
{
	struct tckmig_dev *t = to_tckmig(vdev);
	unsigned int i = 0;
	int ret = 0;

	mutex_lock(&t->state_mutex);
	if (!t->logging) {
		ret = -EINVAL;
		goto out;
	}
	while (i < t->nr_dirty) {
		unsigned long page = t->dirty[i];

		if (page + TCKMIG_LOG_PAGE <= iova || page > iova + length - 1) {
			i++;
			continue;
		}
		iova_bitmap_set(dirty, page, TCKMIG_LOG_PAGE);
		t->dirty[i] = t->dirty[--t->nr_dirty];
	}
out:
	mutex_unlock(&t->state_mutex);
	return ret;
}

static const struct vfio_log_ops tckmig_log_ops = {
	.log_start = tckmig_log_start,
	.log_stop = tckmig_log_stop,
	.log_read_and_clear = tckmig_log_read_and_clear,
};

static void tckmig_mark_dirty(struct tckmig_dev *t, unsigned long iova, size_t len)
{
	unsigned long page;
	unsigned int i, r;

	for (page = iova & ~(TCKMIG_LOG_PAGE - 1); page < iova + len; page += TCKMIG_LOG_PAGE) {
		for (r = 0; r < t->nr_ranges; r++)
			if (page <= t->ranges[r].last && page + TCKMIG_LOG_PAGE - 1 >= t->ranges[r].start)
				break;
		if (r == t->nr_ranges)
			continue;
		for (i = 0; i < t->nr_dirty && t->dirty[i] != page; i++)
			;
		if (i == t->nr_dirty && t->nr_dirty < TCKMIG_MAX_DIRTY)
			t->dirty[t->nr_dirty++] = page;
	}
}

/* --- the test hooks ------------------------------------------------------- */

static ssize_t arcs_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct tckmig_dev *t = dev_get_drvdata(dev);
	unsigned int i;
	int n = 0;

	mutex_lock(&t->state_mutex);
	for (i = 0; i < t->nr_arcs; i++)
		n += sysfs_emit_at(buf, n, "%u %u\n", t->arcs[i][0], t->arcs[i][1]);
	t->nr_arcs = 0;
	mutex_unlock(&t->state_mutex);
	return n;
}
static DEVICE_ATTR_RO(arcs);

static bool tckmig_running(enum vfio_device_mig_state s)
{
	return s == VFIO_DEVICE_STATE_RUNNING || s == VFIO_DEVICE_STATE_RUNNING_P2P ||
	       tckmig_precopy(s);
}

static ssize_t dma_store(struct device *dev, struct device_attribute *attr, const char *buf, size_t count)
{
	struct tckmig_dev *t = dev_get_drvdata(dev);
	char *copy, *cursor, *iova_s, *hex, *mode;
	unsigned long long iova;
	bool peer;
	size_t len;
	u8 *data = NULL;
	int ret;

	copy = kstrndup(buf, count, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	cursor = strim(copy);
	iova_s = strsep(&cursor, " ");
	hex = strsep(&cursor, " ");
	mode = strsep(&cursor, " ");
	peer = mode && !strcmp(mode, "p");
	ret = kstrtoull(iova_s, 16, &iova);
	if (ret)
		goto out;
	len = hex ? strlen(hex) / 2 : 0;
	if (hex && strlen(hex) % 2) {
		ret = -EINVAL;
		goto out;
	}
	if (!len) {
		ret = 0; /* only asks whether the device does DMA: it does */
		goto out;
	}
	data = kmalloc(len, GFP_KERNEL);
	if (!data) {
		ret = -ENOMEM;
		goto out;
	}
	ret = hex2bin(data, hex, len);
	if (ret)
		goto out;
	mutex_lock(&t->state_mutex);
	/* A stopped device does no DMA, a P2P-quiesced one no peer-to-peer DMA. */
	if (tckmig_running(t->state) &&
	    !(peer && (t->state == VFIO_DEVICE_STATE_RUNNING_P2P ||
		       tckmig_precopy_p2p(t->state)))) {
		ret = vfio_dma_rw(&t->vdev, iova, data, len, true);
		if (!ret && t->logging)
			tckmig_mark_dirty(t, iova, len);
	}
	mutex_unlock(&t->state_mutex);
out:
	kfree(data);
	kfree(copy);
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(dma);

static struct attribute *tckmig_attrs[] = { &dev_attr_arcs.attr, &dev_attr_dma.attr, NULL };
static const struct attribute_group tckmig_group = { .name = TCKMIG_NAME, .attrs = tckmig_attrs };
static const struct attribute_group *tckmig_groups[] = { &tckmig_group, NULL };

/* --- the VFIO device ------------------------------------------------------ */

static void tckmig_reset_locked(struct tckmig_dev *t)
{
	tckmig_drop_files(t);
	t->state = VFIO_DEVICE_STATE_RUNNING;
}

static int tckmig_init_dev(struct vfio_device *vdev)
{
	struct tckmig_dev *t = to_tckmig(vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	struct tckmig_type *type = container_of(mdev->type, struct tckmig_type, type);

	mutex_init(&t->state_mutex);
	/* A PCI header: vendor 0x1b36, device 0x10f1, class "other" (0xff). */
	t->config[0] = 0x36; t->config[1] = 0x1b; t->config[2] = 0xf1; t->config[3] = 0x10;
	t->config[0xb] = 0xff;
	vdev->migration_flags = type->flags;
	vdev->mig_ops = &tckmig_mig_ops;
	vdev->log_ops = &tckmig_log_ops;
	t->state = VFIO_DEVICE_STATE_RUNNING;
	return 0;
}

static void tckmig_release_dev(struct vfio_device *vdev)
{
	mutex_destroy(&to_tckmig(vdev)->state_mutex);
}

static int tckmig_open(struct vfio_device *vdev)
{
	struct tckmig_dev *t = to_tckmig(vdev);

	mutex_lock(&t->state_mutex);
	tckmig_reset_locked(t);
	t->logging = false;
	mutex_unlock(&t->state_mutex);
	return 0;
}

static void tckmig_close(struct vfio_device *vdev)
{
	struct tckmig_dev *t = to_tckmig(vdev);

	mutex_lock(&t->state_mutex);
	tckmig_drop_files(t);
	t->logging = false;
	mutex_unlock(&t->state_mutex);
}

/* Only config space (region 7) has data; it is read-only. */
static ssize_t tckmig_rw(struct vfio_device *vdev, char __user *ubuf, const char __user *wbuf,
			 size_t count, loff_t *ppos)
{
	struct tckmig_dev *t = to_tckmig(vdev);
	u64 index = *ppos >> TCKMIG_OFFSET_SHIFT;
	u64 offset = *ppos & ((1ULL << TCKMIG_OFFSET_SHIFT) - 1);

	if (index != TCKMIG_CONFIG_INDEX || offset >= sizeof(t->config) || count > sizeof(t->config) - offset)
		return -EINVAL;
	if (ubuf && copy_to_user(ubuf, t->config + offset, count))
		return -EFAULT;
	*ppos += count;
	return count;
}

static ssize_t tckmig_read(struct vfio_device *vdev, char __user *buf, size_t count, loff_t *ppos)
{
	return tckmig_rw(vdev, buf, NULL, count, ppos);
}

static ssize_t tckmig_write(struct vfio_device *vdev, const char __user *buf, size_t count, loff_t *ppos)
{
	return tckmig_rw(vdev, NULL, buf, count, ppos);
}

static long tckmig_ioctl(struct vfio_device *vdev, unsigned int cmd, unsigned long arg)
{
	struct tckmig_dev *t = to_tckmig(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO: {
		unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
		struct vfio_device_info info;

		if (copy_from_user(&info, uarg, minsz))
			return -EFAULT;
		if (info.argsz < minsz)
			return -EINVAL;
		info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
		info.num_regions = VFIO_PCI_NUM_REGIONS;
		info.num_irqs = VFIO_PCI_NUM_IRQS;
		return copy_to_user(uarg, &info, minsz) ? -EFAULT : 0;
	}
	case VFIO_DEVICE_GET_REGION_INFO: {
		unsigned long minsz = offsetofend(struct vfio_region_info, offset);
		struct vfio_region_info info;

		if (copy_from_user(&info, uarg, minsz))
			return -EFAULT;
		if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_REGIONS)
			return -EINVAL;
		info.offset = (u64)info.index << TCKMIG_OFFSET_SHIFT;
		info.size = info.index == TCKMIG_CONFIG_INDEX ? sizeof(t->config) : 0;
		info.flags = info.size ? VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE : 0;
		return copy_to_user(uarg, &info, minsz) ? -EFAULT : 0;
	}
	case VFIO_DEVICE_GET_IRQ_INFO: {
		unsigned long minsz = offsetofend(struct vfio_irq_info, count);
		struct vfio_irq_info info;

		if (copy_from_user(&info, uarg, minsz))
			return -EFAULT;
		if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
			return -EINVAL;
		info.flags = 0;
		info.count = 0; /* no interrupts */
		return copy_to_user(uarg, &info, minsz) ? -EFAULT : 0;
	}
	case VFIO_DEVICE_RESET:
		mutex_lock(&t->state_mutex);
		tckmig_reset_locked(t);
		mutex_unlock(&t->state_mutex);
		return 0;
	}
	return -ENOTTY;
}

static const struct vfio_device_ops tckmig_dev_ops = {
	.name = "vfio-tckmig",
	.init = tckmig_init_dev,
	.release = tckmig_release_dev,
	.open_device = tckmig_open,
	.close_device = tckmig_close,
	.read = tckmig_read,
	.write = tckmig_write,
	.ioctl = tckmig_ioctl,
#if !TCKMIG_LAB_6_1
	.bind_iommufd = vfio_iommufd_emulated_bind,
	.unbind_iommufd = vfio_iommufd_emulated_unbind,
	.attach_ioas = vfio_iommufd_emulated_attach_ioas,
	.detach_ioas = vfio_iommufd_emulated_detach_ioas,
#endif
};

/* --- the mdev parent ------------------------------------------------------ */

static int tckmig_probe(struct mdev_device *mdev)
{
	struct tckmig_dev *t = vfio_alloc_device(tckmig_dev, vdev, &mdev->dev, &tckmig_dev_ops);
	int ret;

	if (IS_ERR(t))
		return PTR_ERR(t);
	ret = vfio_register_emulated_iommu_dev(&t->vdev);
	if (ret) {
		vfio_put_device(&t->vdev);
		return ret;
	}
	dev_set_drvdata(&mdev->dev, t);
	return 0;
}

static void tckmig_remove(struct mdev_device *mdev)
{
	struct tckmig_dev *t = dev_get_drvdata(&mdev->dev);

	vfio_unregister_group_dev(&t->vdev);
	vfio_put_device(&t->vdev);
}

static struct mdev_driver tckmig_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.max_instances = TCKMIG_MAX_INSTANCES,
	.driver = {
		.name = TCKMIG_NAME,
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
		.dev_groups = tckmig_groups,
	},
	.probe = tckmig_probe,
	.remove = tckmig_remove,
};

static void tckmig_parent_release(struct device *dev)
{
}

static int __init tckmig_init(void)
{
	int ret = mdev_register_driver(&tckmig_driver);

	if (ret)
		return ret;
#if TCKMIG_LAB_6_1
	tckmig_parent.class = class_create(THIS_MODULE, TCKMIG_NAME);
#else
	tckmig_parent.class = class_create(TCKMIG_NAME);
#endif
	if (IS_ERR(tckmig_parent.class)) {
		ret = PTR_ERR(tckmig_parent.class);
		goto err_driver;
	}
	tckmig_parent.dev.class = tckmig_parent.class;
	tckmig_parent.dev.release = tckmig_parent_release;
	dev_set_name(&tckmig_parent.dev, "%s", TCKMIG_NAME);
	ret = device_register(&tckmig_parent.dev);
	if (ret)
		goto err_put;
	ret = mdev_register_parent(&tckmig_parent.parent, &tckmig_parent.dev, &tckmig_driver,
				   tckmig_type_list, ARRAY_SIZE(tckmig_type_list));
	if (ret)
		goto err_device;
	return 0;
err_device:
	device_del(&tckmig_parent.dev);
err_put:
	put_device(&tckmig_parent.dev);
	class_destroy(tckmig_parent.class);
err_driver:
	mdev_unregister_driver(&tckmig_driver);
	return ret;
}

static void __exit tckmig_exit(void)
{
	mdev_unregister_parent(&tckmig_parent.parent);
	device_unregister(&tckmig_parent.dev);
	class_destroy(tckmig_parent.class);
	mdev_unregister_driver(&tckmig_driver);
}

module_init(tckmig_init);
module_exit(tckmig_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vfio-tck test driver: migratable mdevs with one flag set per type");
MODULE_IMPORT_NS(IOMMUFD);
